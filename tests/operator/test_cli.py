"""The terminal console, the accounts file and the app factory's configuration checks."""

from __future__ import annotations

import asyncio
import getpass
import json
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from bot.domain.catalog import CONFIG_DIR
from bot.operator import OperatorSettings, build_operator_app
from bot.operator.__main__ import main
from bot.operator.accounts import Role, load_accounts, verify
from tests.operator.conftest import audit_rows

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shell(console_store, monkeypatch, tmp_path):
    setting = "DATABASE_URL" if isinstance(console_store, str) else "DATABASE_PATH"
    monkeypatch.setenv(setting, str(console_store))
    monkeypatch.chdir(tmp_path)  # away from any developer's .env


def test_hash_password_reads_stdin_and_prints_an_argon2_hash(tmp_path):
    done = subprocess.run([sys.executable, "-m", "bot.operator", "hash-password"],
                          input="s3cret phrase\n", capture_output=True, text=True, cwd=ROOT,
                          check=True, timeout=60)
    digest = done.stdout.strip()
    assert digest.startswith("$argon2id$")
    assert PasswordHasher().verify(digest, "s3cret phrase")
    assert "s3cret" not in done.stdout + done.stderr


def test_list_show_and_export_are_audited_as_the_shell_user(shell, console_store, tmp_path,
                                                            capsys):
    main(["list", "--status", "ready"])
    listed = capsys.readouterr().out
    assert "1 conversation(s)" in listed and "SE-000001-1" in listed
    main(["show", "SE-000001-1"])
    shown = capsys.readouterr().out
    assert "Demande SE-000001-1" in shown and "VAL-06" in shown and "facture.jpg" in shown
    main(["export", "SE-1", "--output", str(tmp_path / "out")])
    data = json.loads((tmp_path / "out" / "SE-000001-1.json").read_text(encoding="utf-8"))
    assert data["reference"] == "SE-000001-1"
    assert (tmp_path / "out" / "SE-000001-1_recapitulatif.pdf").read_bytes().startswith(b"%PDF")
    rows = asyncio.run(audit_rows(console_store))
    who = f"shell:{getpass.getuser()}"
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (who, "list", ""), (who, "view", "SE-000001-1"), (who, "export_json", "SE-000001-1"),
        (who, "export_pdf", "SE-000001-1")]


def test_show_an_unknown_reference_says_so_in_french(shell):
    with pytest.raises(SystemExit, match="n'existe pas"):
        main(["show", "SE-999999-1"])


def test_a_missing_store_is_not_created(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "nowhere.sqlite3"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match="DATABASE_PATH"):
        main(["list"])
    assert not (tmp_path / "nowhere.sqlite3").exists()


def test_example_accounts_file_is_valid_and_opens_for_no_password():
    accounts = load_accounts(CONFIG_DIR / "operators.example.toml")
    assert {a.role for a in accounts.values()} == {Role.ADMIN, Role.AGENT}
    for login in accounts:
        assert verify(accounts, login, "") is None
        assert verify(accounts, login, "changeme") is None


@pytest.mark.parametrize("body", [
    '[[operator]]\nlogin = "a"\nrole = "admin"\npassword_hash = "clear text"\n',
    '[[operator]]\nlogin = "a"\nrole = "root"\npassword_hash = "$argon2id$x"\n',
    ('[[operator]]\nlogin = "a"\nrole = "admin"\npassword_hash = "$argon2id$x"\n' * 2),
])
def test_bad_accounts_files_are_refused(tmp_path, body):
    path = tmp_path / "operators.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError):
        load_accounts(path)


def test_the_app_needs_an_accounts_file(tmp_path):
    with pytest.raises(ValueError, match="OPERATOR_ACCOUNTS_FILE"):
        build_operator_app(OperatorSettings(_env_file=None), tmp_path / "db.sqlite3")
    app = build_operator_app(
        OperatorSettings(_env_file=None, accounts_file=CONFIG_DIR / "operators.example.toml"),
        tmp_path / "db.sqlite3")
    assert set(app.state.console.accounts.current()) == {"exemple.admin", "exemple.conseiller"}
