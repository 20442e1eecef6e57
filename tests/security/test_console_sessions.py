"""Finding 10: after « Se déconnecter » a copy of the cookie still opened the console.

Sessions now live in the database: signing out, a removed or changed account, or thirty
minutes without use end them at once, for every copy of the cookie, across restarts.
"""

from __future__ import annotations

import httpx

from bot.operator import OperatorSettings
from bot.operator.accounts import Account, Role, hash_password
from tests.operator.conftest import PASSWORDS, csrf_of, sign_in
from tests.security.console import client_at, write_accounts

ADDRESS = "192.0.2.20"


def _copy_of(client: httpx.AsyncClient, app) -> httpx.AsyncClient:
    """Return another browser holding the same cookie (stolen, or kept from before)."""
    thief = client_at(app, "198.51.100.9")
    thief.cookies = httpx.Cookies(client.cookies)
    return thief


async def _opens(client: httpx.AsyncClient) -> bool:
    return (await client.get("/operator/conversations/1")).status_code == 200


async def test_signing_out_ends_every_copy_of_the_cookie(app):
    async with client_at(app, ADDRESS) as browser:
        assert (await sign_in(browser, "alice")).status_code == 303
        async with _copy_of(browser, app) as copy:
            assert await _opens(copy)
            page = await browser.get("/operator/")
            await browser.post("/operator/deconnexion", data={"csrf": csrf_of(page.text)})
            assert not await _opens(copy)


async def test_a_signed_out_cookie_stays_dead_after_a_restart(start_console):
    first = start_console()
    async with client_at(first, ADDRESS) as browser:
        await sign_in(browser, "alice")
        kept = httpx.Cookies(browser.cookies)
        page = await browser.get("/operator/")
        await browser.post("/operator/deconnexion", data={"csrf": csrf_of(page.text)})
    await first.state.console.close()
    second = start_console()
    async with client_at(second, ADDRESS) as browser:
        browser.cookies = kept
        assert not await _opens(browser)


async def test_a_session_survives_a_restart_until_it_is_ended(start_console):
    first = start_console()
    async with client_at(first, ADDRESS) as browser:
        await sign_in(browser, "alice")
        kept = httpx.Cookies(browser.cookies)
    await first.state.console.close()
    second = start_console()
    async with client_at(second, ADDRESS) as browser:
        browser.cookies = kept
        assert await _opens(browser)


async def test_an_idle_session_expires(app, limiter_clock):
    async with client_at(app, ADDRESS) as browser:
        await sign_in(browser, "alice")
        limiter_clock.now += 29 * 60
        assert await _opens(browser)  # use keeps it alive…
        limiter_clock.now += 29 * 60
        assert await _opens(browser)
        limiter_clock.now += 31 * 60  # …thirty minutes without use end it
        assert not await _opens(browser)
        assert (await browser.get("/operator/")).headers["location"].startswith(
            "/operator/connexion")


async def test_removing_or_changing_an_account_ends_its_sessions_at_once(
        tmp_path, accounts, start_console):
    accounts_file = tmp_path / "operators.toml"
    write_accounts(accounts_file, accounts)
    settings = OperatorSettings(_env_file=None, session_secret="test-secret",  # noqa: S106
                                accounts_file=accounts_file)
    app = start_console(settings, accounts=None)
    async with client_at(app, ADDRESS) as alice, client_at(app, ADDRESS) as victor:
        await sign_in(alice, "alice")
        await sign_in(victor, "victor")
        assert await _opens(alice) and await _opens(victor)
        write_accounts(accounts_file, {"alice": accounts["alice"]})  # victor removed
        assert not await _opens(victor)
        assert (await sign_in(victor, "victor")).status_code == 401
        assert await _opens(alice)
        changed = Account(login="alice", role=Role.ADMIN,
                          password_hash=hash_password("a brand new passphrase"))
        write_accounts(accounts_file, {"alice": changed})  # alice's password changed
        assert not await _opens(alice)
        assert (await sign_in(alice, "alice", PASSWORDS["alice"])).status_code == 401
        assert (await sign_in(alice, "alice", "a brand new passphrase")).status_code == 303
        demoted = changed.model_copy(update={"role": Role.VIEWER})
        write_accounts(accounts_file, {"alice": demoted})  # a role change too
        assert not await _opens(alice)


async def test_a_broken_accounts_file_lets_nobody_in(tmp_path, accounts, start_console):
    accounts_file = tmp_path / "operators.toml"
    write_accounts(accounts_file, accounts)
    settings = OperatorSettings(_env_file=None, session_secret="test-secret",  # noqa: S106
                                accounts_file=accounts_file)
    app = start_console(settings, accounts=None)
    async with client_at(app, ADDRESS) as alice:
        await sign_in(alice, "alice")
        accounts_file.write_text("[[operator]]\nlogin = 'alice'\n", encoding="utf-8")
        assert not await _opens(alice)


async def test_the_cookie_holds_no_login_only_a_session_id(app):
    async with client_at(app, ADDRESS) as browser:
        await sign_in(browser, "alice")
        import base64
        import json

        cookie = browser.cookies["operator_session"]
        payload = json.loads(base64.b64decode(cookie.split(".")[0] + "=="))
        assert set(payload) == {"sid", "csrf"}
        assert "alice" not in json.dumps(payload)
