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


def test_transcript_shows_labels_and_the_choice_made(page, console_url):
    sign_in(page, console_url)
    page.click("text=SE-000001-1")
    chat = page.locator("#transcript")
    assert "nav:begin" not in chat.inner_text() and "[bouton]" not in chat.inner_text()
    chosen = chat.locator(".bubble.out .keys li.chosen").first
    assert "J'accepte et je commence" in chosen.inner_text()
    assert "J'accepte et je commence" in chat.locator(".bubble.in .pressed").first.inner_text()
    thumb = chat.locator("a.thumb img").first
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=thumb.element_handle())
    assert chat.locator(".bubble.in .file", has_text="facture.jpg").count() == 1
    contact = page.locator("#contact").inner_text()
    assert "Canal : Telegram · pseudo Telegram @Nathalie_K" in contact


@pytest.mark.parametrize(("typed", "expected"), [
    ("@nathalie_k", ["SE-000001-1"]), ("paul_london", ["SE-000002-1"]),
    ("1003", ["SE-000003-1"]), ("SE-4", ["SE-000004-1"])])
def test_search_by_username_id_and_reference(page, console_url, typed, expected):
    sign_in(page, console_url)
    page.fill("input[name=q]", typed)
    page.click("form.filters button[type=submit]")
    assert listed(page) == expected


def test_a_document_opens_full_size_and_zooms(page, console_url):
    sign_in(page, console_url)
    page.click("text=SE-000001-1")
    page.click("text=Voir en grand >> nth=0")
    assert page.locator("h1").inner_text() == "Original : facture.jpg"
    image = page.locator("#pages img").first
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == 900  # the photo itself, not 360 px
    fitted = image.bounding_box()["width"]
    page.click("text=200 %")
    image = page.locator("#pages img").first
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())
    assert image.bounding_box()["width"] > 1.9 * fitted
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("text=Voir le PDF produit")
    assert page.locator("h1").inner_text().startswith("PDF produit")


def test_audit_filters_and_csv(page, console_url):
    sign_in(page, console_url)
    page.click("text=SE-000002-1")
    page.click("text=Journal d'audit")
    page.select_option("select[name=action]", "view")
    page.fill("input[name=conversation]", "SE-2")
    page.click("form.filters button[type=submit]")
    cells = page.locator("#audit tbody td[data-action]").all_inner_texts()
    assert cells == ["Conversation consultée"]
    assert page.locator("#audit tbody td", has_text="SE-000002-1").count() == 1
    with page.expect_download() as info:
        page.click("#export")
    rows = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Date (Paris);Qui;Action")
    assert [row.split(";")[3:5] for row in rows[1:]] == [["view", "SE-000002-1"]]
    page.fill("input[name=du]", "2024-05-02")
    page.fill("input[name=au]", "2024-05-01")
    page.click("form.filters button[type=submit]")
    refusal = page.get_by_role("alert").inner_text()
    assert "la date de début doit précéder la date de fin" in refusal


def test_dashboard_shows_the_seeded_figures(page, console_url):
    sign_in(page, console_url)
    page.click("text=Tableau de bord")
    assert page.locator("h1").inner_text() == "Tableau de bord"
    rows = page.locator("#weekly tbody tr").all()
    totals = [0, 0, 0, 0]
    for row in rows:
        for index, cell in enumerate(row.locator("td").all_inner_texts()[1:]):
            totals[index] += int(cell)
    assert totals == [4, 1, 1, 0]  # started, ready, blocked (LIM-03), abandoned
    assert page.locator("#rules tbody tr").all_inner_texts() == ["LIM-03\t1"]
    assert page.locator('#funnel tr[data-stage="done"] td').all_inner_texts()[1] == "1"
    for chart in ("#weekly-chart svg", "#rules-chart svg", "#funnel-chart svg"):
        assert page.locator(chart).bounding_box()["height"] > 20  # drawn, one bar at least
    assert "Prises en charge sans retour à l'assistant : 0" in page.content().replace("&#39;", "'")


def test_every_page_fits_a_phone_screen(browser, console_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    phone = context.new_page()
    try:
        sign_in(phone, console_url)
        pages = ["/operator/", "/operator/conversations/1", "/operator/audit",
                 "/operator/tableau-de-bord", "/operator/conversations/3"]
        for path in pages:
            phone.goto(console_url + path)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
            for link in phone.locator("header a, header button").all():
                box = link.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        phone.goto(console_url + "/operator/conversations/1")
        phone.click("text=Voir en grand >> nth=0")
        phone.click("text=300 %")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
