"""The console in a real headless Chromium (Debian's package, never a downloaded browser).

The app runs under uvicorn on 127.0.0.1 with a free port in a background thread; Playwright
drives ``/usr/bin/chromium`` through ``executable_path``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from bot.operator import OperatorSettings, build_operator_app
from tests.conftest import AS_OF_2020
from tests.operator.conftest import PASSWORDS, receipt_jpeg, rows_now

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium"
                              " (apt-get install -y chromium; make test installs it)"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def console_url(console_store, accounts) -> Iterator[str]:
    settings = OperatorSettings(_env_file=None, session_secret="browser-tests",  # noqa: S106
                                page_size=20)
    app = build_operator_app(settings, console_store, accounts=accounts, today=lambda: AS_OF_2020)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on",
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the console did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, locale="fr-FR")
    yield context.new_page()
    context.close()


def sign_in(page, base: str, login: str = "alice", password: str | None = None) -> None:
    page.goto(f"{base}/operator/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORDS[login] if password is None else password)
    page.click("button[type=submit]")


def listed(page) -> list[str]:
    return page.locator("#conversations tbody tr td:first-child a").all_inner_texts()


def test_a_page_is_refused_without_sign_in(page, console_url):
    response = page.goto(f"{console_url}/operator/conversations/1")
    assert "/operator/connexion" in page.url
    assert response is not None and response.ok
    assert page.locator("h1").inner_text() == "Connexion"
    assert "NATHALIE" not in page.content()


def test_bad_then_good_password(page, console_url):
    sign_in(page, console_url, password="mauvais")  # noqa: S106 (a wrong one)
    assert page.get_by_role("alert").inner_text() == "Identifiant ou mot de passe incorrect."
    page.fill("input[name=password]", PASSWORDS["alice"])
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Conversations enregistrées"
    assert listed(page) == ["SE-000004-1", "SE-000003-1", "SE-000002-1", "SE-000001-1"]


def test_search_and_filters(page, console_url):
    sign_in(page, console_url)
    page.fill("input[name=q]", "nathalie")
    page.click("form.filters button[type=submit]")
    assert listed(page) == ["SE-000003-1", "SE-000001-1"]
    page.select_option("select[name=statut]", "blocked")
    page.click("form.filters button[type=submit]")
    assert listed(page) == ["SE-000003-1"]
    page.click("text=Effacer les filtres")
    page.select_option("select[name=pays]", "GB")
    page.click("form.filters button[type=submit]")
    assert listed(page) == ["SE-000002-1"]
    page.select_option("select[name=pays]", "")
    page.select_option("select[name=etape]", "documents")
    page.click("form.filters button[type=submit]")
    assert listed(page) == ["SE-000004-1"]


def test_conversation_page_previews_and_downloads(page, console_url, console_store):
    sign_in(page, console_url)
    page.click("text=SE-000001-1")
    assert page.locator("h1").inner_text() == "Demande SE-000001-1"
    images = page.locator("section.docs img")
    assert images.count() == 4
    for index in range(4):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=image.element_handle())
    assert page.locator("#trace td", has_text="Telegram").count() > 3
    with page.expect_download() as info:
        page.click("text=Télécharger l'original >> nth=0")
    download = info.value
    assert Path(download.path()).read_bytes() == receipt_jpeg()
    assert download.suggested_filename.startswith("SE-000001-1_")
    with page.expect_download() as info:
        page.click("text=Exporter (JSON)")
    assert b'"reference": "SE-000001-1"' in Path(info.value.path()).read_bytes()
    actions = rows_now(console_store, "SELECT actor, action, reference FROM audit")
    for expected in (("alice", "signin", ""), ("alice", "list", ""),
                     ("alice", "view", "SE-000001-1"),
                     ("alice", "download_original", "SE-000001-1"),
                     ("alice", "export_json", "SE-000001-1")):
        assert expected in actions


def test_audit_page_shows_the_entries_to_admins_only(page, console_url):
    sign_in(page, console_url)
    page.click("text=SE-000002-1")
    page.click("text=Journal d'audit")
    rows = page.locator("#audit tbody tr, #audit tr").all_inner_texts()
    text = "\n".join(rows)
    assert "Conversation consultée" in text and "SE-000002-1" in text and "alice" in text
    page.click("text=Se déconnecter")
    sign_in(page, console_url, "victor")
    assert page.locator("text=Journal d'audit").count() == 0
    page.goto(f"{console_url}/operator/audit")
    assert "réservée aux administrateurs" in page.content()
