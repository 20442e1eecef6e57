"""Finding 12: previews, sign-outs and refused requests were not audited.

Now each is a row of the append-only trail; failed sign-ins carry the client address (and
the login only when it exists: a mistyped password must never land in the trail).
"""

from __future__ import annotations

import re

from tests.operator.conftest import audit_rows, csrf_of, sign_in
from tests.security.console import client_at

ADDRESS = "192.0.2.30"


async def _document_ids(client) -> list[str]:
    page = await client.get("/operator/conversations/1")
    return sorted(set(re.findall(r"/operator/documents/([0-9a-f]+)/", page.text)))


async def test_previews_are_audited_with_the_document(app, console_store):
    async with client_at(app, ADDRESS) as browser:
        await sign_in(browser, "alice")
        ids = await _document_ids(browser)
        assert ids
        for kind in ("original", "pdf"):
            response = await browser.get(f"/operator/documents/{ids[0]}/{kind}/apercu.png")
            assert response.status_code == 200
    await app.state.console.close()  # flush nothing pending before reading the file
    previews = [row for row in await audit_rows(console_store) if row[1].startswith("preview")]
    assert [(actor, action, reference[:9], document) for actor, action, reference, document, _
            in previews] == [("alice", "preview_original", "SE-000001", ids[0]),
                             ("alice", "preview_pdf", "SE-000001", ids[0])]


async def test_sign_in_failures_carry_the_address_and_sign_outs_are_audited(app, console_store):
    async with client_at(app, ADDRESS) as browser:
        await sign_in(browser, "alice", "a wrong password")
        await sign_in(browser, "nobody", "another secret")
        await sign_in(browser, "alice")
        page = await browser.get("/operator/")
        await browser.post("/operator/deconnexion", data={"csrf": csrf_of(page.text)})
    await app.state.console.close()  # flush nothing pending before reading the file
    rows = [row for row in await audit_rows(console_store)
            if row[1] in ("signin_refused", "signin", "signout")]
    assert [(actor, action, detail) for actor, action, _, _, detail in rows] == [
        ("alice", "signin_refused", f"adresse={ADDRESS}"),
        ("?", "signin_refused", f"adresse={ADDRESS}"),
        ("alice", "signin", f"adresse={ADDRESS}"),
        ("alice", "signout", f"adresse={ADDRESS}"),
    ]
    trail = repr(await audit_rows(console_store))
    assert "wrong password" not in trail and "another secret" not in trail
    assert "nobody" not in trail


async def test_refused_requests_are_audited(app, console_store):
    async with client_at(app, ADDRESS) as browser:
        await sign_in(browser, "victor")
        assert (await browser.get("/operator/audit")).status_code == 403  # viewer
        assert (await browser.get("/operator/?page=0")).status_code == 400
        assert (await browser.get("/operator/conversations/4242")).status_code == 404
        assert (await browser.post("/operator/deconnexion",
                                   data={"csrf": "forged"})).status_code == 403
        assert (await browser.get("/operator/?q=Dupont&page=0")).status_code == 400
    async with client_at(app, ADDRESS) as visitor:
        for _ in range(4):
            await sign_in(visitor, "alice", "guess")
    await app.state.console.close()  # flush nothing pending before reading the file
    refused = [(actor, detail) for actor, action, _, _, detail in await audit_rows(console_store)
               if action == "refused"]
    assert refused[:5] == [
        ("victor", f"403 GET /operator/audit adresse={ADDRESS}"),
        ("victor", f"400 GET /operator/ adresse={ADDRESS}"),
        ("victor", f"404 GET /operator/conversations/4242 adresse={ADDRESS}"),
        ("victor", f"403 POST /operator/deconnexion adresse={ADDRESS}"),
        ("victor", f"400 GET /operator/ adresse={ADDRESS}"),
    ]
    assert refused[5] == ("?", f"429 POST /operator/connexion adresse={ADDRESS}")
    assert "Dupont" not in repr(await audit_rows(console_store))  # a searched name stays out
