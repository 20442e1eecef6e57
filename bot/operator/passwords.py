"""Passwords: checked off the event loop, a bounded number at once; new ones vetted.

Argon2 costs tens of milliseconds of CPU on purpose. Run on the event loop, a flood of
sign-ins delayed every traveller's reply (finding 9); here it runs in a small thread pool
(argon2-cffi releases the GIL) at the lowest CPU priority, and past a short queue a sign-in
is refused at once.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from pydantic import BaseModel, ConfigDict, Field
from zxcvbn import zxcvbn

from bot.domain.catalog import load_toml
from bot.operator.accounts import Account, verify

MIN_LENGTH = 12
_CHECKED_LENGTH = 128  # zxcvbn's cost grows with length; a longer password is no weaker
_MIN_SCORE = 3  # zxcvbn: 3 = « safely unguessable » against online attacks


def _yield_to_the_event_loop() -> None:
    """Lower this worker thread's priority (Linux: per thread; argon2's lanes inherit it)."""
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class Busy(Exception):
    """Too many sign-ins are being checked: try again in a moment."""


class PasswordChecker:
    """Verify passwords in ``workers`` threads; refuse beyond ``queue`` waiting checks."""

    def __init__(self, workers: int = 2, queue: int = 16) -> None:
        # Niced, so a CPU shared with hashing still wakes the event loop at once.
        self._executor = ThreadPoolExecutor(max_workers=workers,
                                            thread_name_prefix="operator-argon2",
                                            initializer=_yield_to_the_event_loop)
        self._limit = workers + queue
        self._in_flight = 0

    async def verify(self, accounts: dict[str, Account], login: str,
                     password: str) -> Account | None:
        """Return the account if the password is right; raise ``Busy`` when overloaded."""
        if self._in_flight >= self._limit:
            raise Busy
        self._in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, verify, accounts, login,
                                              password)
        finally:
            self._in_flight -= 1

    def close(self) -> None:
        """Stop the threads once the running checks are done."""
        self._executor.shutdown(wait=False, cancel_futures=True)


class _LocalWords(BaseModel):
    model_config = ConfigDict(extra="forbid")

    words: list[str] = Field(min_length=1)


@cache
def _local_words() -> tuple[str, ...]:
    return tuple(_LocalWords.model_validate(load_toml("operator_passwords.toml")).words)


def weakness(password: str, *, login: str = "") -> str | None:
    """Return the message key saying why a new password is refused, or None if it will do."""
    if len(password) < MIN_LENGTH:
        return "operator.cli.password_short"
    inputs = [*_local_words(), *([login] if login else [])]
    if zxcvbn(password[:_CHECKED_LENGTH], user_inputs=inputs)["score"] < _MIN_SCORE:
        return "operator.cli.password_common"
    return None
