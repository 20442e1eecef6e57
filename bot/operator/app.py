"""The operator console as an ASGI app: routes, session, security headers, running it.

Usage:
    app = build_operator_app(OperatorSettings(), settings.database_path)
    async with operator_server(app, settings.host, settings.port):   # beside polling
        await run_polling(application, repository)
    # or, behind the webhook app: routes.append(Mount("", app=app))
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.domain.catalog import get_catalog
from bot.operator import audit_page, auth, dashboard, files, handoff, viewer, views
from bot.operator.accounts import Account, AccountsSource, OperatorSettings
from bot.operator.client import Network
from bot.operator.dossier import PARIS
from bot.operator.guard import ConsoleGuard
from bot.operator.params import BadParameter
from bot.operator.web import Console, build_environment, current_account, refuse, url

_LOGGER = logging.getLogger(__name__)
PREFIX = "/operator"


class SecurityHeaders:
    """Add the headers a page of health data needs; give each response a CSP nonce."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["nonce"] = nonce
        # Scripts: only the page's own (the conversation page polls for news, same origin).
        policy = (f"default-src 'none'; img-src 'self'; style-src 'nonce-{nonce}';"
                  f" script-src 'nonce-{nonce}'; connect-src 'self';"
                  " form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in (
                    ("cache-control", "no-store"), ("x-content-type-options", "nosniff"),
                    ("x-frame-options", "DENY"), ("referrer-policy", "no-referrer"),
                    ("content-security-policy", policy))]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _not_found(request: Request, exc: Exception) -> Response:
    """Send visitors to sign in; tell operators in French that nothing is there."""
    if current_account(request) is None:
        return RedirectResponse(url(request, "signin"), status_code=303)
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    return refuse(request, "operator.error.not_found", status)


async def _bad_parameter(request: Request, exc: Exception) -> Response:
    """Answer a malformed or out-of-range parameter with a French 400."""
    key = exc.message_key if isinstance(exc, BadParameter) else "operator.error.bad_filter"
    if current_account(request) is None:
        return RedirectResponse(url(request, "signin"), status_code=303)
    return refuse(request, key, 400)


async def _server_error(request: Request, exc: Exception) -> Response:
    """Say in French that something failed, never with a traceback (the class is logged)."""
    _LOGGER.error("operator console: %s on %s", type(exc).__name__, request.url.path)
    try:
        return refuse(request, "operator.error.server", 500)
    except Exception:  # the page itself failed: plain text, still French
        return PlainTextResponse(get_catalog("fr").text("operator.error.server"), 500)


async def _home(request: Request) -> Response:
    return RedirectResponse(url(request, "conversations"), status_code=303)


def _routes() -> list[Route]:
    number = "/conversations/{number:int}"
    document = "/documents/{doc_id}/{kind:str}"
    return [
        Route("/", views.conversations, name="conversations"),
        Route("/connexion", auth.signin_form, methods=["GET"], name="signin"),
        Route("/connexion", auth.signin, methods=["POST"], name="signin_post"),
        Route("/deconnexion", auth.signout, methods=["POST"], name="signout"),
        Route(number, views.conversation, name="conversation"),
        Route(f"{number}/export.json", files.export_json, name="export_json"),
        Route(f"{number}/recapitulatif.pdf", files.export_pdf, name="export_pdf"),
        Route(f"{number}/effacer", views.erase_form, methods=["GET"], name="erase_form"),
        Route(f"{number}/effacer", views.erase, methods=["POST"], name="erase"),
        Route(document, files.download, name="download"),
        Route(f"{document}/apercu.png", files.preview, name="preview"),
        Route(f"{document}/voir", viewer.document_view, name="document_view"),
        Route(f"{document}/pages/{{page}}.jpg", viewer.document_page, name="document_page"),
        Route("/audit", audit_page.audit, name="audit"),
        Route("/audit.csv", audit_page.audit_csv, name="audit_csv"),
        Route("/tableau-de-bord", dashboard.dashboard, name="dashboard"),
        *handoff.ROUTES,
    ]


def _paris_today() -> date:
    return datetime.now(PARIS).date()


def build_operator_app(
    settings: OperatorSettings,
    db_path: str | Path,
    *,
    accounts: dict[str, Account] | None = None,
    today: Callable[[], date] = _paris_today,
    clock: Callable[[], float] = time.time,
    trusted_proxies: Sequence[Network] = (),
) -> Starlette:
    """Return the console, served under ``/operator`` (``/`` redirects there).

    Accounts come from ``settings.accounts_file`` (re-read when it changes) unless given.
    Sessions live in the database; ``settings.session_secret`` only signs the cookie that
    names one (without it a random secret is drawn: every restart signs everyone out).
    """
    source = AccountsSource(settings.accounts_file, accounts)
    if settings.session_secret is None:
        _LOGGER.warning("OPERATOR_SESSION_SECRET is not set: a random secret is used,"
                        " so a restart signs every operator out")
        secret = secrets.token_urlsafe(32)
    else:
        secret = settings.session_secret.get_secret_value()
    state = Console(settings, source, db_path, today, clock, tuple(trusted_proxies),
                    build_environment())

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await state.open()
        try:
            yield
        finally:
            await state.close()
            state.passwords.close()

    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=secret, session_cookie="operator_session",
                   max_age=settings.session_hours * 3600, path=PREFIX, same_site="lax",
                   https_only=settings.secure_cookie),
        Middleware(ConsoleGuard, console=state),
    ]
    app = Starlette(routes=[Route("/", _home), Mount(PREFIX, routes=_routes())],
                    middleware=middleware, lifespan=lifespan,
                    exception_handlers={404: _not_found, 405: _not_found,
                                        BadParameter: _bad_parameter,
                                        Exception: _server_error})
    app.state.console = state
    return app


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves SIGINT and SIGTERM to the bot's own handlers."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Install nothing: the bot stops the console through ``should_exit``."""
        yield


@contextlib.asynccontextmanager
async def operator_server(app: Starlette, host: str, port: int,
                          log_level: str = "info") -> AsyncIterator[uvicorn.Server]:
    """Serve ``app`` on host:port while the block runs (e.g. beside long polling)."""
    # proxy_headers=False: uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1;
    # the console reads it itself, from TRUSTED_PROXIES only (bot/operator/client.py).
    config = uvicorn.Config(app, host=host, port=port, lifespan="on", access_log=False,
                            log_level=log_level.lower(), log_config=None,  # bot's LOG_FORMAT
                            proxy_headers=False)  # X-Forwarded-For from TRUSTED_PROXIES only
    server = _QuietServer(config)
    task = asyncio.create_task(server.serve())
    try:
        # uvicorn exposes only a flag for "listening", no event to await.
        while not server.started and not task.done():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        if task.done():
            task.result()  # raise the start-up error (port taken…) here
            raise RuntimeError("the operator console stopped at start-up")
        yield server
    finally:
        server.should_exit = True
        await task
