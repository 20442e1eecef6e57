"""Finding 15: the data folder is private, and a store that cannot be written stops the start.

``python -m bot`` runs for real in a subprocess. As root (CI), file permissions bind only once
the process drops CAP_DAC_OVERRIDE (``setpriv``); the read-only file system is a real
read-only bind mount in a private mount namespace (``unshare``).
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import prepare_store_folder

ROOT = Path(__file__).resolve().parents[2]
_AS_ROOT = os.geteuid() == 0
_DROP_OVERRIDE = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
                  "--bounding-set=-dac_override,-dac_read_search"]


def _start_bot(database: Path, *, prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m bot`` (terminal chat, no input) on ``database``; return how it ended."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin"), "PYTHONPATH": str(ROOT),
                   "DATABASE_PATH": str(database), "HOME": str(database.parent)}
    command = [*(prefix or []), sys.executable, "-m", "bot"]
    return subprocess.run(command, cwd=database.parent if database.parent.is_dir() else ROOT,  # noqa: S603
                          env=environment, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60, check=False)


def _without_override() -> list[str]:
    if not _AS_ROOT:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to drop root's permission override")
    return _DROP_OVERRIDE


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_is_created_owner_only(tmp_path):
    database = tmp_path / "donnees" / "bot" / "soins.sqlite3"
    prepare_store_folder(database)
    assert _mode(tmp_path / "donnees") == 0o700
    assert _mode(tmp_path / "donnees" / "bot") == 0o700


def test_the_bot_starts_creates_a_private_folder_and_file(tmp_path):
    database = tmp_path / "donnees" / "soins.sqlite3"
    finished = _start_bot(database)
    assert finished.returncode == 0, finished.stderr
    assert _mode(database.parent) == 0o700
    assert _mode(database) == 0o600


def _assert_refused(finished: subprocess.CompletedProcess, reason: str) -> None:
    assert finished.returncode != 0
    assert "Le bot ne démarre pas" in finished.stderr
    assert reason in finished.stderr
    assert "Traceback" not in finished.stderr


def test_a_read_only_folder_stops_the_start_with_a_french_message(tmp_path):
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        finished = _start_bot(folder / "soins.sqlite3", prefix=_without_override())
    finally:
        folder.chmod(0o755)
    _assert_refused(finished, "dossier en lecture seule")
    assert list(folder.iterdir()) == []


def test_an_unwritable_store_file_stops_the_start(tmp_path):
    database = tmp_path / "soins.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o400)
    finished = _start_bot(database, prefix=_without_override())
    _assert_refused(finished, "fichier en lecture seule")


def test_a_store_under_a_file_cannot_be_reached(tmp_path):
    blocker = tmp_path / "pas-un-dossier"
    blocker.write_text("x")
    finished = _start_bot(blocker / "donnees" / "soins.sqlite3")
    _assert_refused(finished, "inaccessible")


def test_a_file_that_is_not_a_database_stops_the_start(tmp_path):
    database = tmp_path / "soins.sqlite3"
    database.write_bytes(b"not a database, " * 512)
    finished = _start_bot(database)
    _assert_refused(finished, "pas un fichier SQLite")


def test_a_read_only_file_system_stops_the_start(tmp_path):
    if not _AS_ROOT or shutil.which("unshare") is None:
        pytest.skip("a read-only bind mount needs root and unshare (util-linux)")
    folder = tmp_path / "montage"
    folder.mkdir()
    script = ('mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"')
    probe = subprocess.run(["unshare", "-m", "sh", "-c", script, str(folder), "true"],  # noqa: S603, S607
                           capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("this machine refuses private mount namespaces")
    finished = _start_bot(folder / "soins.sqlite3",
                          prefix=["unshare", "-m", "sh", "-c", script, str(folder)])
    _assert_refused(finished, "dossier en lecture seule")


def _start_with(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ.get("PATH", "/usr/bin"), "PYTHONPATH": str(ROOT),
                   "HOME": str(tmp_path), **settings}
    return subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env=environment,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                          check=False)


def test_an_unreachable_postgresql_stops_the_start_in_french_without_its_password(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = _start_with(tmp_path, DATABASE_URL=f"postgresql://bot:s3cret-pw@127.0.0.1:{port}/x")
    assert done.returncode != 0
    assert "la base PostgreSQL" in done.stderr and "DATABASE_URL" in done.stderr
    assert "s3cret-pw" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_several_workers_on_sqlite_are_refused_in_french(tmp_path):
    done = _start_with(tmp_path, TELEGRAM_BOT_TOKEN="123:TEST",  # noqa: S106
                       WEBHOOK_URL="https://x.example",
                       WEB_CONCURRENCY="3", DATABASE_PATH=str(tmp_path / "x.sqlite3"))
    assert done.returncode != 0
    assert "3 workers (WEB_CONCURRENCY) partagent une base PostgreSQL" in done.stderr
    assert "Traceback" not in done.stderr
