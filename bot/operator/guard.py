"""Who is asking: the client address, the signed-in operator, and refusals written down.

Runs inside Starlette's signed session cookie, which now carries only a random session id
(plus the anti-forgery token and a flash): the session itself lives in the database, so
signing out, an expired session, or a removed or changed account ends it at once, even for
a copy of the cookie (finding 10). Every refused request is audited (finding 12).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.operator.accounts import Account, fingerprint
from bot.operator.client import client_address
from bot.operator.web import Console

_LOGGER = logging.getLogger(__name__)
# Refusals worth a line in the trail (sign-in failures are recorded by auth with the login).
_REFUSED = frozenset({400, 403, 404, 405, 413, 429, 500, 503})


async def resolve_account(console: Console, session: dict[str, Any]) -> Account | None:
    """Return the operator the session belongs to, ending it if it no longer holds."""
    token = session.get("sid")
    if not isinstance(token, str):
        return None
    security = await console.sessions()
    settings = console.settings
    found = await security.session(token, console.clock(),
                                   idle=settings.session_idle_minutes * 60.0,
                                   lifetime=settings.session_hours * 3600.0)
    if found is None:
        session.clear()
        return None
    login, stamp = found
    account = console.accounts.current().get(login)
    if account is None or fingerprint(account) != stamp:
        ended = await security.revoke_login(login, keep_stamp=fingerprint(account)
                                            if account else None)
        _LOGGER.info("operator account removed or changed: %d session(s) ended", ended)
        session.clear()
        return None
    return account


class ConsoleGuard:
    """Set ``request.state.address`` and ``.account``; audit refused requests."""

    def __init__(self, app: ASGIApp, console: Console) -> None:
        self.app = app
        self.console = console

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["address"] = address = client_address(scope, self.console.proxies)
        state["account"] = account = await resolve_account(self.console, scope["session"])
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if status in _REFUSED or status == 0:
                store = await self.console.open()
                # The path only: a query string may hold a searched name.
                detail = f"{status or 500} {scope['method']} {scope['path']} adresse={address}"
                await store.record(account.login if account else "?", "refused",
                                   detail=detail[:300])
