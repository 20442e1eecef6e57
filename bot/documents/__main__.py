"""Make one compliant PDF of the given files, as the bot would.

Usage:
    python -m bot.documents FILE... --output OUT.pdf

Prints the size and page count; on bad input prints the French message and exits with 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.documents.errors import DocumentRejected
from bot.documents.pipeline import MAX_UPLOAD_BYTES, convert, convert_many
from bot.domain.catalog import get_catalog

EXIT_REJECTED = 2


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_UPLOAD_BYTES:  # refuse before reading it all
            raise DocumentRejected("too_large", limit="20 Mo")
        return path.read_bytes()
    except OSError as exc:
        message = get_catalog("fr").text("documents.cli.not_found", path=path)
        raise SystemExit(_fail(message)) from exc


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return EXIT_REJECTED


def main(argv: list[str] | None = None) -> int:
    """Convert the files named in ``argv`` into one PDF and report it."""
    parser = argparse.ArgumentParser(prog="python -m bot.documents", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--output", "-o", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        datas = [_read(path) for path in args.files]
        doc = convert(datas[0], args.files[0].name) if len(datas) == 1 else convert_many(datas)
    except DocumentRejected as exc:
        return _fail(exc.message)
    args.output.write_bytes(doc.pdf)
    for notice in doc.notices:
        sys.stdout.write(notice + "\n")
    done = get_catalog("fr").text(
        "documents.cli.done", path=args.output, size=len(doc.pdf), pages=doc.page_count
    )
    sys.stdout.write(done + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
