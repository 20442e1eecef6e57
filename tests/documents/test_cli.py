"""The CLI: python -m bot.documents FILE... --output OUT.pdf."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.documents.conftest import assert_compliant, encode, receipt

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bot.documents", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_cli_makes_one_compliant_pdf(tmp_path: Path) -> None:
    first, second = tmp_path / "a.png", tmp_path / "b.jpg"
    first.write_bytes(encode(receipt(), "PNG"))
    second.write_bytes(encode(receipt(), "JPEG"))
    output = tmp_path / "out.pdf"
    result = _run(first, second, "--output", output)
    assert result.returncode == 0, result.stderr
    assert "2 page(s)" in result.stdout
    assert f"{output.stat().st_size} octets" in result.stdout
    assert_compliant(output.read_bytes())


def test_cli_bad_input_exits_2_with_french_message(tmp_path: Path) -> None:
    bad = tmp_path / "lettre.docx"
    bad.write_bytes(b"PK\x03\x04 not really a document")
    result = _run(bad, "--output", tmp_path / "out.pdf")
    assert result.returncode == 2
    assert "pas pris en charge" in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    result = _run(tmp_path / "absent.jpg", "--output", tmp_path / "out.pdf")
    assert result.returncode == 2
    assert "introuvable" in result.stderr
