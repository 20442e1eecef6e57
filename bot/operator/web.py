"""What every console page shares: the app's context, rendering, links, the sign-in guard.

Texts come from the catalog (``config/messages/operator.fr.toml``) through ``t`` in templates.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.domain.catalog import get_catalog
from bot.operator.accounts import Account, OperatorSettings, Role
from bot.operator.dossier import paris_time
from bot.operator.limits import FailureLimiter
from bot.storage.operator_queries import OperatorStore, open_operator_store

TEMPLATES = Path(__file__).parent / "templates"
Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass
class Console:
    """The state one console app holds: settings, accounts, the store (opened on first use)."""

    settings: OperatorSettings
    accounts: dict[str, Account]
    db_path: Path
    today: Callable[[], date]
    limiter: FailureLimiter
    environment: Environment
    store: OperatorStore | None = None
    _opening: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def open(self) -> OperatorStore:
        """Return the store, opening it the first time (a mounted app gets no lifespan)."""
        async with self._opening:
            if self.store is None:
                self.store = await open_operator_store(self.db_path)
        return self.store

    async def close(self) -> None:
        """Close the store if it was opened."""
        if self.store is not None:
            await self.store.close()
            self.store = None


def build_environment() -> Environment:
    """Return the Jinja2 environment of the console's templates (autoescaped)."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES),
                              autoescape=select_autoescape(["html"]), trim_blocks=True,
                              lstrip_blocks=True)
    catalog = get_catalog("fr")
    environment.globals["t"] = catalog.text
    environment.filters["paris"] = paris_time
    return environment


def console(request: Request) -> Console:
    """Return the console the request belongs to."""
    found: Console = request.app.state.console
    return found


def url(request: Request, name: str, query: dict[str, object] | None = None,
        **params: object) -> str:
    """Return the path of a named route (relative to the host, so it survives a proxy)."""
    path = str(request.url_for(name, **params).path)
    if query:
        path += "?" + urlencode({k: v for k, v in query.items() if v not in ("", None)})
    return path


def csrf_token(request: Request) -> str:
    """Return the session's anti-forgery token, creating it on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def csrf_valid(request: Request, sent: object) -> bool:
    """Tell whether a form carried the session's token."""
    token = request.session.get("csrf")
    return (isinstance(token, str) and isinstance(sent, str)
            and secrets.compare_digest(token, sent))


def current_account(request: Request) -> Account | None:
    """Return the signed-in operator, if the session names a login still configured."""
    login = request.session.get("login")
    return console(request).accounts.get(login) if isinstance(login, str) else None


def render(request: Request, template: str, context: dict[str, object] | None = None,
           status_code: int = 200) -> HTMLResponse:
    """Render a template with the helpers every page uses."""
    values: dict[str, object] = {
        "request": request,
        "account": current_account(request),
        "csrf": csrf_token(request),
        "nonce": getattr(request.state, "nonce", ""),
        "url": lambda name, query=None, **params: url(request, name, query, **params),
        **(context or {}),
    }
    html = console(request).environment.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)


def refuse(request: Request, message_key: str, status_code: int) -> HTMLResponse:
    """Answer with the error page and a French message."""
    return render(request, "error.html", {"message_key": message_key}, status_code)


def signed_in(role: Role | None = None) -> Callable[[Endpoint], Endpoint]:
    """Send visitors to the sign-in page; refuse viewers where ``role`` is admin."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        async def guarded(request: Request) -> Response:
            account = current_account(request)
            if account is None:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(url(request, "signin", {"suivant": target}),
                                        status_code=303)
            if role is Role.ADMIN and account.role is not Role.ADMIN:
                return refuse(request, "operator.error.admin_only", 403)
            return await endpoint(request)

        guarded.__name__ = endpoint.__name__
        guarded.__doc__ = endpoint.__doc__
        return guarded

    return decorate


def actor(request: Request) -> str:
    """Return who the audit trail names for this request."""
    account = current_account(request)
    return account.login if account else "?"
