"""Who gets in: sign-in, refusals, rate limit, anti-forgery tokens, roles, cookie and headers."""

from __future__ import annotations

import pytest

from tests.operator.conftest import audit_rows, csrf_of, sign_in

PROTECTED = [
    "/operator/",
    "/operator/conversations/1",
    "/operator/conversations/1/export.json",
    "/operator/conversations/1/recapitulatif.pdf",
    "/operator/conversations/1/effacer",
    "/operator/documents/abcd1234/original",
    "/operator/documents/abcd1234/pdf/apercu.png",
    "/operator/audit",
    "/operator/no-such-page",
]


@pytest.mark.parametrize("path", PROTECTED)
async def test_every_page_and_file_sends_visitors_to_sign_in(client, path):
    response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/operator/connexion")


async def test_root_leads_to_the_console(client):
    response = await client.get("/")
    assert response.headers["location"] == "/operator/"


async def test_good_password_signs_in_and_returns_to_the_page_asked(client):
    first = await client.get("/operator/conversations/2")
    form = await client.get(first.headers["location"])
    assert "Connexion" in form.text
    response = await client.post("/operator/connexion", data={
        "login": "alice", "password": "correct horse battery", "csrf": csrf_of(form.text),
        "suivant": "/operator/conversations/2"})
    assert response.headers["location"] == "/operator/conversations/2"
    assert (await client.get("/operator/conversations/2")).status_code == 200


async def test_session_cookie_is_httponly_lax_and_scoped(client):
    response = await sign_in(client, "alice")
    cookie = response.headers["set-cookie"].lower()
    assert "operator_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/operator" in cookie


async def test_no_redirect_outside_the_console_after_sign_in(client):
    form = await client.get("/operator/connexion")
    response = await client.post("/operator/connexion", data={
        "login": "alice", "password": "correct horse battery", "csrf": csrf_of(form.text),
        "suivant": "https://evil.example/"})
    assert response.headers["location"] == "/operator/"


async def test_bad_password_is_refused_in_french_and_audited(client, console_store):
    response = await sign_in(client, "alice", "wrong")
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in response.text
    assert (await client.get("/operator/")).status_code == 303
    await sign_in(client, "somebody-unknown", "x")
    await client.aclose()
    refused = [row for row in await audit_rows(console_store) if row[1] == "signin_refused"]
    assert [row[0] for row in refused] == ["alice", "?"]  # unknown logins are not kept


async def test_failures_make_the_next_try_wait_then_the_right_password_works(
        client, limiter_clock):
    for _ in range(3):  # OPERATOR_SIGNIN_FREE_ATTEMPTS
        assert (await sign_in(client, "alice", "wrong")).status_code == 401
    waiting = await sign_in(client, "alice")  # even the right password waits its turn
    assert waiting.status_code == 429
    assert "Réessayez dans 1 seconde(s)" in waiting.text
    limiter_clock.now += 1
    assert (await sign_in(client, "alice", "wrong")).status_code == 401
    assert "Réessayez dans 2 seconde(s)" in (await sign_in(client, "alice")).text
    limiter_clock.now += 2
    assert (await sign_in(client, "alice")).status_code == 303


async def test_many_logins_from_one_address_slow_that_address(client, limiter_clock):
    for number in range(10):
        await sign_in(client, f"guess{number}", "guess")
    assert (await sign_in(client, "victor")).status_code == 429
    limiter_clock.now += 1
    assert (await sign_in(client, "victor")).status_code == 303


async def test_forms_without_the_session_token_are_refused(client, console_store):
    await client.get("/operator/connexion")
    forged = await client.post("/operator/connexion", data={
        "login": "alice", "password": "correct horse battery", "csrf": "forged"})
    assert forged.status_code == 403
    assert (await sign_in(client, "alice")).status_code == 303
    erase = await client.post("/operator/conversations/1/effacer",
                              data={"confirmation": "SE-000001-1"})
    assert erase.status_code == 403
    assert (await client.get("/operator/conversations/1")).status_code == 200
    signout = await client.post("/operator/deconnexion", data={"csrf": "forged"})
    assert signout.status_code == 403


async def test_sign_out_ends_the_session(admin):
    page = await admin.get("/operator/")
    response = await admin.post("/operator/deconnexion", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 303
    assert (await admin.get("/operator/")).status_code == 303


async def test_viewer_may_read_but_not_erase_nor_read_the_audit(viewer):
    assert (await viewer.get("/operator/conversations/1")).status_code == 200
    page = await viewer.get("/operator/conversations/1")
    assert "Effacer cette conversation" not in page.text
    for path in ("/operator/audit", "/operator/conversations/1/effacer"):
        refused = await viewer.get(path)
        assert refused.status_code == 403
        assert "réservée aux administrateurs" in refused.text
    posted = await viewer.post("/operator/conversations/1/effacer",
                               data={"csrf": csrf_of(page.text), "confirmation": "SE-000001-1"})
    assert posted.status_code == 403
    assert (await viewer.get("/operator/conversations/1")).status_code == 200


async def test_pages_carry_protective_headers(admin):
    response = await admin.get("/operator/conversations/1")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    nonce = response.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in response.text


async def test_an_unknown_page_is_a_french_404_once_signed_in(admin):
    response = await admin.get("/operator/conversations/999999")
    assert response.status_code == 404
    assert "existe pas (ou plus)" in response.text
