"""Documents full-size in the page: every page rendered, zoomed, each page view audited."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from bot.operator.page_images import FULL_SIZE, page_jpeg
from tests.operator.conftest import audit_rows, receipt_jpeg, scan_pdf


def document_ids(html: str) -> list[str]:
    return re.findall(r'id="doc-([0-9a-f]+)"', html)


async def _ids(admin) -> list[str]:
    return document_ids((await admin.get("/operator/conversations/1")).text)


async def test_the_viewer_shows_every_page_full_size(admin, console_store):
    photo, scan = await _ids(admin)
    page = await admin.get(f"/operator/documents/{photo}/original/voir")
    assert page.status_code == 200
    assert "Original : facture.jpg" in page.text and "SE-000001-1" in page.text
    sources = re.findall(r'<img src="([^"]+)"', page.text)
    assert sources == [f"/operator/documents/{photo}/original/pages/1.jpg"]
    image = await admin.get(sources[0])
    assert image.headers["content-type"] == "image/jpeg"
    shown = Image.open(io.BytesIO(image.content))
    assert shown.size == Image.open(io.BytesIO(receipt_jpeg())).size  # 900 px: not shrunk
    pdf = await admin.get(f"/operator/documents/{scan}/pdf/voir")
    assert re.findall(r'<img src="([^"]+)"', pdf.text) == [
        f"/operator/documents/{scan}/pdf/pages/1.jpg"]
    rendered = Image.open(io.BytesIO((await admin.get(
        f"/operator/documents/{scan}/pdf/pages/1.jpg")).content))
    assert rendered.height == FULL_SIZE[1] and rendered.mode == "RGB"  # A4 at 200 dpi, colour
    assert rendered.getpixel((rendered.width // 2, 220))[2] > 90  # the scan's blue band
    await admin.aclose()
    actions = [(r[1], r[3], r[4]) for r in await audit_rows(console_store)]
    assert ("view_original", photo, "") in actions and ("view_pdf", scan, "") in actions
    assert ("page_original", photo, "page=1") in actions
    assert ("page_pdf", scan, "page=1") in actions


async def test_zoom_is_a_link_and_a_bad_zoom_is_a_french_400(admin):
    photo, _ = await _ids(admin)
    fit = (await admin.get(f"/operator/documents/{photo}/original/voir")).text
    assert 'class="pages zoom-fit"' in fit
    assert f'href="/operator/documents/{photo}/original/voir?zoom=200"' in fit
    zoomed = (await admin.get(f"/operator/documents/{photo}/original/voir",
                              params={"zoom": "200"})).text
    assert 'class="pages zoom-200"' in zoomed
    bad = await admin.get(f"/operator/documents/{photo}/original/voir", params={"zoom": "999"})
    assert bad.status_code == 400 and "Filtre inconnu" in bad.text


@pytest.mark.parametrize("page", ["2", "0", "-1", "abc", "99999999999999999999", "1e3", "١"])
async def test_a_page_the_document_has_not_is_a_french_400(admin, page):
    photo, scan = await _ids(admin)
    for doc_id, kind in ((photo, "original"), (scan, "pdf")):
        answer = await admin.get(f"/operator/documents/{doc_id}/{kind}/pages/{page}.jpg")
        assert answer.status_code == 400, (kind, page)
        assert "Numéro de page invalide" in answer.text


async def test_unknown_documents_and_kinds_are_404(admin):
    photo, _ = await _ids(admin)
    assert (await admin.get("/operator/documents/0000/original/voir")).status_code == 404
    assert (await admin.get(f"/operator/documents/{photo}/autre/voir")).status_code == 404
    assert (await admin.get(f"/operator/documents/{photo}/autre/pages/1.jpg")).status_code == 404


def test_pages_of_a_pdf_and_of_nothing_readable():
    two = io.BytesIO()
    pages = [Image.new("RGB", (1240, 1754), colour) for colour in ("white", "red")]
    pages[0].save(two, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    second = Image.open(io.BytesIO(page_jpeg(two.getvalue(), 2) or b""))
    assert second.getpixel((10, 10))[0] > 200 > second.getpixel((10, 10))[1]  # red, in colour
    assert page_jpeg(two.getvalue(), 3) is None
    assert page_jpeg(b"not a file", 1) is None
    assert page_jpeg(scan_pdf(), 1) is not None
