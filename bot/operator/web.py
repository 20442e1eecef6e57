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
from bot.operator.accounts import Account, AccountsSource, OperatorSettings, Role
from bot.operator.client import Network
from bot.operator.dossier import paris_time
from bot.operator.passwords import PasswordChecker
from bot.storage.operator_queries import OperatorStore, open_operator_store
from bot.storage.operator_security import SecurityStore, SigninPolicy, open_security_store

TEMPLATES = Path(__file__).parent / "templates"
Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass
class Console:
    """The state one console app holds: settings, accounts, the stores (opened on first use).

    ``clock`` is wall-clock seconds: sessions and sign-in limits outlive a restart.
    """

    settings: OperatorSettings
    accounts: AccountsSource
    db_path: Path | str
    """The store: an SQLite file or a PostgreSQL URL."""
    today: Callable[[], date]
    clock: Callable[[], float]
    proxies: tuple[Network, ...]
    environment: Environment
    passwords: PasswordChecker = field(default_factory=PasswordChecker)
    store: OperatorStore | None = None
    security: SecurityStore | None = None
    _opening: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def open(self) -> OperatorStore:
        """Return the store, opening it the first time (a mounted app gets no lifespan)."""
        async with self._opening:
            if self.store is None:
                self.store = await open_operator_store(self.db_path)  # migrates the schema
            if self.security is None:
                self.security = await open_security_store(self.db_path)
        return self.store

    async def sessions(self) -> SecurityStore:
        """Return the store of sessions and sign-in limits."""
        await self.open()
        if self.security is None:  # closed meanwhile (shutdown)
            raise RuntimeError("the operator console is closed")
        return self.security

    @property
    def policy(self) -> SigninPolicy:
        """Return how sign-in attempts are slowed, from the settings."""
        return SigninPolicy(free_per_pair=self.settings.signin_free_attempts,
                            global_budget=self.settings.signin_budget_per_minute)

    async def close(self) -> None:
        """Close the stores if they were opened."""
        if self.security is not None:
            await self.security.close()
            self.security = None
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
    """Return the signed-in operator (resolved by ``guard.ConsoleGuard`` from the session)."""
    account = getattr(request.state, "account", None)
    return account if isinstance(account, Account) else None


def client_of(request: Request) -> str:
    """Return the client address (``guard.ConsoleGuard`` reads it, trusting only proxies)."""
    return str(getattr(request.state, "address", "?"))


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
    """Send visitors to the sign-in page; refuse operators whose role is below ``role``."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        async def guarded(request: Request) -> Response:
            account = current_account(request)
            if account is None:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(url(request, "signin", {"suivant": target}),
                                        status_code=303)
            if role is not None and not account.role.allows(role):
                return refuse(request, f"operator.error.{role.value}_only", 403)
            return await endpoint(request)

        guarded.__name__ = endpoint.__name__
        guarded.__doc__ = endpoint.__doc__
        return guarded

    return decorate


def actor(request: Request) -> str:
    """Return who the audit trail names for this request."""
    account = current_account(request)
    return account.login if account else "?"
