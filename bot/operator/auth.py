"""Sign-in and sign-out: argon2 off the event loop, server-side sessions, slowed attempts.

An attempt is counted before its password is checked, per (login, address), per address
and against a global budget (bot/storage/operator_security.py): a stranger typing someone's
login elsewhere never locks its owner out (finding 8), and the limits hold across restarts.
"""

from __future__ import annotations

import logging
import math
import secrets

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.operator.accounts import fingerprint
from bot.operator.params import text
from bot.operator.passwords import Busy
from bot.operator.web import (
    client_of,
    console,
    csrf_valid,
    current_account,
    refuse,
    render,
    url,
)

_LOGGER = logging.getLogger(__name__)


def _safe_next(request: Request, target: object) -> str:
    """Return where to go after signing in: only a path of this console (no open redirect)."""
    home = url(request, "conversations")
    prefix = home.rstrip("/") or "/"
    if (isinstance(target, str) and target.startswith(prefix) and not target.startswith("//")
            and "\\" not in target):
        return target
    return home


async def signin_form(request: Request) -> Response:
    """Show the sign-in form (or go straight in when already signed in)."""
    if current_account(request) is not None:
        return RedirectResponse(url(request, "conversations"), status_code=303)
    return render(request, "signin.html", {"next": text(request.query_params, "suivant")})


async def signin(request: Request) -> Response:
    """Check the password, unless this login and address must wait first."""
    form = await request.form()
    login = str(form.get("login", "")).strip()[:64]
    password = str(form.get("password", ""))[:1024]
    target = form.get("suivant", "")
    context = {"next": target, "login": login}
    if not csrf_valid(request, form.get("csrf")):
        return refuse(request, "operator.error.csrf", 403)
    app = console(request)
    security = await app.sessions()
    address, now, key = client_of(request), app.clock(), login.casefold()
    wait = await security.begin_attempt(key, address, now, app.policy)
    if wait > 0:
        _LOGGER.warning("sign-in refused: attempts from this address must wait")
        return render(request, "signin.html", {
            **context, "error": "operator.signin.too_many",
            "seconds": math.ceil(wait)}, 429)
    accounts = app.accounts.current()
    try:
        account = (await app.passwords.verify(accounts, login, password)
                   if login and password else None)
    except Busy:
        return render(request, "signin.html", {**context, "error": "operator.signin.busy"},
                      503)
    store = await app.open()
    if account is None:
        # Name the account only if it exists: a typed password must never land in the trail.
        known = login if login in accounts else "?"
        await store.record(known, "signin_refused", detail=f"adresse={address}")
        return render(request, "signin.html", {**context, "error": "operator.signin.wrong"}, 401)
    await security.succeeded(key, address, now)
    token = await security.create_session(account.login, fingerprint(account), now)
    request.session.clear()  # nothing of the visitor's cookie carries over (fixation)
    request.session["sid"] = token
    request.session["csrf"] = secrets.token_urlsafe(32)
    await store.record(account.login, "signin", detail=f"adresse={address}")
    return RedirectResponse(_safe_next(request, target), status_code=303)


async def signout(request: Request) -> Response:
    """End the session, here and for every copy of its cookie."""
    form = await request.form()
    if not csrf_valid(request, form.get("csrf")):
        return refuse(request, "operator.error.csrf", 403)
    token = request.session.get("sid")
    if isinstance(token, str):
        await (await console(request).sessions()).revoke(token)
    account = current_account(request)
    if account is not None:
        await (await console(request).open()).record(account.login, "signout",
                                                     detail=f"adresse={client_of(request)}")
    request.session.clear()
    return RedirectResponse(url(request, "signin"), status_code=303)
