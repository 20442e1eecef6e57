"""The wheel alone runs the bot: built here, installed in a new venv outside the checkout.

The venv borrows the dependencies of the project's .venv (one ``.pth`` line: that folder's own
``.pth`` files, the checkout's editable install among them, are not read), so the only copy of
``bot`` it can import is the wheel's, with the config/, templates and styles the wheel carries.
"""
# ruff: noqa: S603  (every command is this test's own interpreter or venv, with fixed arguments)

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from tests.adapters.test_telegram_http import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the project's wheel, as ``make wheel`` and the image do."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (built,) = out.glob("soins_etranger_bot-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a new venv where only the wheel provides ``bot`` (dependencies borrowed)."""
    target = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True)
    python = target / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], check=True, capture_output=True, text=True)
    Path(site.stdout.strip(), "project-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    return target


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TELEGRAM_", "OPERATOR_", "PYTHON", "DATABASE_"))}
    env.update(TELEGRAM_BOT_TOKEN="", DATABASE_PATH=str(tmp_path / "claims.sqlite3"), **extra)
    return env


def test_the_wheel_carries_config_templates_and_styles(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    config = [p.relative_to(ROOT).as_posix() for p in (ROOT / "config").rglob("*.toml")
              if p.name != "operators.toml"]  # git-ignored: real accounts never ship
    templates = [p.relative_to(ROOT).as_posix()
                 for p in (ROOT / "bot/operator/templates").iterdir()]
    assert config and templates
    assert {f"bot/{name}" for name in config} <= names
    assert set(templates) <= names
    assert not [name for name in names if name.startswith(("tests/", "bench/", "config/"))]


def test_the_installed_script_chats_in_the_terminal_outside_the_checkout(venv, tmp_path):
    where = subprocess.run([str(venv / "bin/python"), "-c", "import bot; print(bot.__file__)"],
                           cwd=tmp_path, env=_env(tmp_path), check=True, capture_output=True,
                           text=True)
    assert where.stdout.startswith(str(venv))  # the wheel's copy, not the checkout's
    script, python = str(venv / "bin/soins-etranger-bot"), str(venv / "bin/python")
    for command in ([script], [python, "-m", "bot"]):
        chat = subprocess.run(command, cwd=tmp_path, env=_env(tmp_path), input="",
                              capture_output=True, text=True, timeout=60, check=False)
        assert chat.returncode == 0, chat.stderr
        assert "Bonjour" in chat.stdout, chat.stdout  # the welcome, from the shipped catalog
        assert "Traceback" not in chat.stderr


def test_the_installed_bot_serves_the_console_and_the_health_checks(venv, tmp_path):
    accounts = tmp_path / "operators.toml"
    accounts.write_text('[[operator]]\nlogin = "agent"\nrole = "viewer"\n'
                        f'password_hash = "{PasswordHasher().hash("mot-de-passe")}"\n')
    port = free_port()
    env = _env(tmp_path, OPERATOR_ACCOUNTS_FILE=str(accounts), HOST="127.0.0.1", PORT=str(port))
    process = subprocess.Popen([str(venv / "bin/soins-etranger-bot")], cwd=tmp_path, env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        assert health.text == "ok"
        assert httpx.get(f"{base}/readyz", timeout=5).status_code == 200
        signin = httpx.get(f"{base}/operator/connexion", timeout=5)
        assert signin.status_code == 200 and 'name="csrf"' in signin.text  # the template
        assert "soins_turns_total" in httpx.get(f"{base}/metrics", timeout=5).text
    finally:  # end of input: the terminal chat says goodbye and stops
        _, errors = process.communicate(input=b"", timeout=30)
    assert process.returncode == 0, errors
