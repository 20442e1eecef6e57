"""Sign-in and sign-out: argon2 passwords, a signed session cookie, limited failures.

A session holds only the login and the anti-forgery token; the role is read from the
accounts file on every request, so removing an account locks it out at the next restart.
"""

from __future__ import annotations

import logging
import secrets

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.operator.accounts import verify
from bot.operator.web import console, csrf_valid, current_account, refuse, render, url

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
    return render(request, "signin.html", {"next": request.query_params.get("suivant", "")})


async def signin(request: Request) -> Response:
    """Check the password; refuse for a while after too many failures."""
    form = await request.form()
    login = str(form.get("login", "")).strip()[:64]
    password = str(form.get("password", ""))
    target = form.get("suivant", "")
    context = {"next": target, "login": login}
    if not csrf_valid(request, form.get("csrf")):
        return refuse(request, "operator.error.csrf", 403)
    app = console(request)
    address = request.client.host if request.client else "?"
    keys = (f"login:{login.casefold()}", f"ip:{address}")
    if app.limiter.blocked(*keys):
        _LOGGER.warning("sign-in refused: too many failures")
        return render(request, "signin.html", {**context, "error": "operator.signin.too_many"},
                      429)
    account = verify(app.accounts, login, password) if login and password else None
    store = await app.open()
    if account is None:
        app.limiter.fail(*keys)
        # Name the account only if it exists: a typed password must never land in the trail.
        known = login if login in app.accounts else "?"
        await store.record(known, "signin_refused")
        return render(request, "signin.html", {**context, "error": "operator.signin.wrong"}, 401)
    app.limiter.clear(keys[0])
    request.session.clear()
    request.session["login"] = account.login
    request.session["csrf"] = secrets.token_urlsafe(32)  # a fresh token for the new session
    await store.record(account.login, "signin")
    return RedirectResponse(_safe_next(request, target), status_code=303)


async def signout(request: Request) -> Response:
    """End the session."""
    form = await request.form()
    if not csrf_valid(request, form.get("csrf")):
        return refuse(request, "operator.error.csrf", 403)
    request.session.clear()
    return RedirectResponse(url(request, "signin"), status_code=303)
