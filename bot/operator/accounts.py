"""Operator settings and accounts: who may sign in, with which role.

Accounts live in a TOML file named by ``OPERATOR_ACCOUNTS_FILE`` (see
``config/operators.example.toml``); passwords are stored as argon2 hashes only.
"""

from __future__ import annotations

import hashlib
import logging
import time
import tomllib
from enum import StrEnum
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_HASHER = PasswordHasher()
_LOGGER = logging.getLogger(__name__)


@cache
def _decoy() -> str:
    """Return a hash checked for unknown logins, so they cost as much time as known ones."""
    return _HASHER.hash("decoy: no account has this password")


class OperatorSettings(BaseSettings):
    """The console's knobs, read from ``OPERATOR_*`` variables or the git-ignored ``.env``."""

    model_config = SettingsConfigDict(env_prefix="OPERATOR_", env_file=".env",
                                      env_file_encoding="utf-8", extra="ignore")

    accounts_file: Path | None = None
    session_secret: SecretStr | None = None
    # Set behind HTTPS so the browser never sends the session cookie in clear.
    secure_cookie: bool = False
    session_hours: int = Field(default=8, ge=1, le=24)
    # A session unused this long is over (the next request asks to sign in again).
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # Tries of one login from one address before each new try waits (1 s, then doubling).
    signin_free_attempts: int = Field(default=3, ge=1, le=100)
    # Tries per minute, all together, from (login, address) pairs that never signed in.
    signin_budget_per_minute: int = Field(default=30, ge=1, le=100_000)
    page_size: int = Field(default=50, ge=5, le=500)
    # The dashboard counts a claim in progress untouched this long as abandoned.
    dashboard_idle_days: int = Field(default=7, ge=1, le=365)

    @field_validator("accounts_file", "session_secret", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """Treat ``KEY=`` (as copied from ``.env.example``) as not set."""
        if isinstance(value, str) and not value.strip():
            return None
        return value


class Role(StrEnum):
    """What an operator may do, each role all the one before may.

    Viewers read; agents also answer travellers who asked for a person (take, reply, note,
    hand back); admins also erase and read the audit trail.
    """

    VIEWER = "viewer"
    AGENT = "agent"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        """Tell whether this role may do what ``needed`` may."""
        order = list(Role)
        return order.index(self) >= order.index(needed)


class Account(BaseModel):
    """One operator."""

    login: str = Field(min_length=1, max_length=64)
    role: Role
    password_hash: SecretStr

    @field_validator("password_hash")
    @classmethod
    def _argon2(cls, value: SecretStr) -> SecretStr:
        """Refuse anything but an argon2 hash (a clear password would be a mistake)."""
        if not value.get_secret_value().startswith("$argon2"):
            raise ValueError("password_hash must be an argon2 hash (python -m bot.operator"
                             " hash-password)")
        return value


class _AccountsFile(BaseModel):
    operator: list[Account] = Field(default_factory=list)


def load_accounts(path: Path) -> dict[str, Account]:
    """Read and validate the accounts file; a login may appear once."""
    with path.open("rb") as handle:
        accounts = _AccountsFile.model_validate(tomllib.load(handle)).operator
    by_login: dict[str, Account] = {}
    for account in accounts:
        if account.login in by_login:
            raise ValueError(f"operator login listed twice in {path.name}")
        by_login[account.login] = account
    return by_login


def fingerprint(account: Account) -> str:
    """Return what identifies an account's version: a change of role or password alters it."""
    material = "\0".join((account.login, account.role.value,
                          account.password_hash.get_secret_value()))
    return hashlib.sha256(material.encode()).hexdigest()


_REREAD_SECONDS = 2.0  # also re-read this often: an edit within one mtime tick looks unchanged


class AccountsSource:
    """The accounts, re-read when their file changes (removing one takes effect at once)."""

    def __init__(self, path: Path | None, fixed: dict[str, Account] | None = None) -> None:
        if path is None and fixed is None:
            raise ValueError("OPERATOR_ACCOUNTS_FILE is not set: no operator could sign in")
        self._path = path
        self._accounts = fixed if fixed is not None else {}
        self._seen: tuple[int, int, int] | None = None
        self._read_at = 0.0
        if fixed is None:
            self.current()

    def current(self) -> dict[str, Account]:
        """Return the accounts as the file says now (a broken file lets no one in)."""
        if self._path is None:
            return self._accounts
        try:
            status = self._path.stat()
            seen = (status.st_mtime_ns, status.st_size, status.st_ino)
            if seen != self._seen or time.monotonic() - self._read_at > _REREAD_SECONDS:
                self._seen, self._read_at = seen, time.monotonic()
                self._accounts = load_accounts(self._path)
        except (OSError, ValueError) as error:  # pydantic's ValidationError is a ValueError
            if self._seen is not None or self._accounts:
                _LOGGER.error("operator accounts file unreadable (%s): nobody may sign in",
                              type(error).__name__)
            self._seen = None
            self._accounts = {}
        return self._accounts


def hash_password(password: str) -> str:
    """Return the argon2 hash to paste into the accounts file."""
    return _HASHER.hash(password)


def verify(accounts: dict[str, Account], login: str, password: str) -> Account | None:
    """Return the account if ``password`` is right, else None (in about the same time)."""
    account = accounts.get(login)
    stored = account.password_hash.get_secret_value() if account else _decoy()
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return account
