"""Helpers of the console red-team tests: consoles, clients at chosen addresses, accounts.

``app`` and ``start_console`` close what they open, even when a test fails: an open store
keeps its database thread alive and the test process would not exit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.operator import build_operator_app
from bot.operator.accounts import Account
from tests.conftest import AS_OF_2020


def client_at(app: Any, address: str, **headers: str) -> httpx.AsyncClient:
    """Return a client whose connection comes from ``address`` (the ASGI peer)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver",
                             headers=headers)


def write_accounts(path: Path, accounts: dict[str, Account]) -> None:
    """Write an accounts file as an administrator would (atomically, as editors do)."""
    lines = []
    for account in accounts.values():
        lines += ["[[operator]]", f'login = "{account.login}"', f'role = "{account.role.value}"',
                  f'password_hash = "{account.password_hash.get_secret_value()}"', ""]
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines), encoding="utf-8")
    temporary.replace(path)


@pytest.fixture
async def start_console(operator_settings, console_store, accounts,
                        limiter_clock) -> AsyncIterator[Callable[..., Starlette]]:
    """Return ``start_console(**changes)``: a console on the test store, closed at the end."""
    started: list[Starlette] = []

    def _start(settings: Any = None, **options: Any) -> Starlette:
        options = {"accounts": accounts, "clock": limiter_clock, "today": lambda: AS_OF_2020,
                   **options}
        if options["accounts"] is None:
            del options["accounts"]
        started.append(build_operator_app(settings or operator_settings, console_store, **options))
        return started[-1]

    yield _start
    for app in started:
        await app.state.console.close()


@pytest.fixture
def app(start_console) -> Starlette:
    """The console on the seeded store (the operator tests' ``app``, closed at the end)."""
    return start_console()
