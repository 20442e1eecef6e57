"""Finding 10 in Debian's Chromium: a cookie copied to another browser dies at sign-out."""

from __future__ import annotations

from tests.operator.test_browser import pytestmark, sign_in  # noqa: F401 (skip without chromium)


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(browser, page, console_url):
    sign_in(page, console_url)
    page.wait_for_url(f"{console_url}/operator/")
    other = browser.new_context(locale="fr-FR")
    try:
        other.add_cookies(page.context.cookies())
        copy = other.new_page()
        copy.goto(f"{console_url}/operator/conversations/1")
        assert "/operator/conversations/1" in copy.url
        assert copy.locator("h1").inner_text() != "Connexion"
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url("**/operator/connexion**")
        copy.goto(f"{console_url}/operator/conversations/1")
        assert "/operator/connexion" in copy.url
        assert copy.locator("h1").inner_text() == "Connexion"
        assert "NATHALIE" not in copy.content()
    finally:
        other.close()
