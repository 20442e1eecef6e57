"""A throwaway PostgreSQL server from Debian's packages, for the tests and the load test.

``initdb`` in a temporary folder, listening on 127.0.0.1 (a free port) and on a Unix socket
in that folder only, trust authentication (nobody else can reach it), no fsync (nothing
outlives the run); stopped and deleted at the end. As root, the server runs as the
``postgres`` user the package created (PostgreSQL refuses to run as root).

``python -m tests.postgres_server`` starts one and prints its URL until interrupted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

USER = "bot"


def binaries() -> Path | None:
    """Return the folder of ``initdb`` and ``pg_ctl`` (Debian keeps them off the PATH)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                      key=lambda path: int(path.parts[4]))
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def running_server() -> Iterator[str]:
    """Start a server, yield its URL (database ``postgres``, user ``bot``), then remove it."""
    folder = binaries()
    if folder is None:
        raise RuntimeError("PostgreSQL is not installed (Debian package postgresql)")
    root = Path(tempfile.mkdtemp(prefix="pg-test-"))
    data, port = root / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    def run(program: str, *args: str) -> None:
        subprocess.run(_as_server_user([str(folder / program), *args]), check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    try:
        run("initdb", "-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
        run("pg_ctl", "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start")
        try:
            yield f"postgresql://{USER}@127.0.0.1:{port}/postgres"
        finally:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    with running_server() as url:
        print(url, flush=True)  # noqa: T201 (the command's output)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
