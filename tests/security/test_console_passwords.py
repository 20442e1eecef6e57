"""Deliver 6: ``python -m bot.operator hash-password`` refuses short and common passwords."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

ROOT = Path(__file__).resolve().parents[2]


def _hash(password: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.operator", "hash-password"],
                          input=password + "\n", capture_output=True, text=True, cwd=ROOT,
                          check=False, timeout=60)


@pytest.mark.parametrize(("password", "reason"), [
    ("abc", "trop court"),
    ("onze-signes", "trop court"),
    ("password1234", "trop courant"),
    ("azertyuiop123", "trop courant"),
    ("motdepasse2024", "trop courant"),  # French: from config/operator_passwords.toml
    ("123456789012", "trop courant"),
    ("aaaaaaaaaaaaaaaa", "trop courant"),
])
def test_weak_passwords_get_no_hash(password, reason):
    done = _hash(password)
    assert done.returncode != 0
    assert reason in done.stderr
    assert done.stdout == ""
    assert password not in done.stderr


def test_a_long_uncommon_passphrase_is_hashed():
    done = _hash("girafe-violon-mardi-17")
    assert done.returncode == 0, done.stderr
    assert PasswordHasher().verify(done.stdout.strip(), "girafe-violon-mardi-17")
