"""Several small tickets of one document on one A4 page, each still legible (DOC-09).

Till tickets photographed at 12 MP (``bench.receipts``, layout "ticket", with their printed
text); each ticket is read by Tesseract where the PDF shows it (``bench.documents``).
"""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest
from PIL import Image
from pydantic import ValidationError
from pypdf import PdfReader

from bench.documents import shown_images, similarity
from bench.receipts import ReceiptPhoto, generate
from bot.documents import convert_many, plan_files
from bot.documents.orient import line_pitch
from bot.documents.plan import PlanItem
from bot.documents.tickets import lay_out
from bot.domain.config_files import Tickets, documents_file
from tests.documents.conftest import assert_compliant, receipt


@pytest.fixture(scope="module")
def tickets() -> list[ReceiptPhoto]:
    return generate(6, seed=21, layouts=("ticket",))


@pytest.fixture(scope="module")
def sheets() -> list[ReceiptPhoto]:
    return generate(2, seed=5)


def _images_per_page(pdf: bytes) -> list[int]:
    return [len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract")
def test_six_tickets_share_pages_and_each_reads_as_printed(tickets) -> None:
    import pytesseract

    doc = convert_many([t.jpeg for t in tickets])
    assert_compliant(doc.pdf)
    assert doc.page_count <= 2
    assert sum(_images_per_page(doc.pdf)) == 6
    assert doc.notice_keys == ("tickets_shared",)
    assert doc.notices[0].startswith("6 tickets ont été réunis sur")
    assert doc.notice_texts("en")[0].startswith("6 tickets were put together on")
    shown = shown_images(doc.pdf)
    scores = [similarity(pytesseract.image_to_string(image, lang="fra"), t.text)
              for image, t in zip(shown, tickets, strict=True)]
    assert min(scores) >= 0.93, scores


def test_a_large_sheet_is_never_merged(tickets, sheets) -> None:
    doc = convert_many([tickets[0].jpeg, sheets[0].jpeg, tickets[1].jpeg, tickets[2].jpeg])
    assert_compliant(doc.pdf)
    # The sheet alone on its page, in its place; the two tickets after it share one.
    assert _images_per_page(doc.pdf) == [1, 1, 2]
    assert doc.page_count == 3
    # An A4 page of print, and strips whose print would shrink below legible, stay alone.
    page = receipt((1654, 2339), "L")
    strip = Image.new("L", (700, 2400))  # a long strip of small print: 24 px between lines
    for top in range(0, 2400, 600):
        strip.paste(receipt((700, 600), "L"), (0, top))
    assert len(lay_out([page, page]).pages) == 2
    assert len(lay_out([strip, strip]).pages) == 2


def test_tickets_of_different_categories_are_never_mixed(tickets) -> None:
    payments = convert_many([t.jpeg for t in tickets[:3]])
    prescriptions = convert_many([t.jpeg for t in tickets[3:]])
    plan = plan_files([PlanItem("preuve_paiement", payments.pdf),
                       PlanItem("prescription", prescriptions.pdf)])
    assert [f.category for f in plan.files] == ["preuve_paiement", "prescription"]
    for file in plan.files:
        assert_compliant(file.pdf)
        assert _images_per_page(file.pdf) == [3]


def test_legibility_is_the_line_spacing_shown(tickets) -> None:
    # Spacing measured on the page image: a receipt of known line pitch reads as such.
    image = receipt((600, 1600), "L")
    assert line_pitch(np.asarray(image)) == pytest.approx(1600 // 25, rel=0.05)
    # Stricter rules put fewer tickets on a page: none go under the line spacing asked.
    rules = documents_file().tickets
    from bot.documents.photo import photo_page

    pages = [photo_page(t.jpeg).image for t in tickets]
    loose = lay_out(pages, rules)
    strict = lay_out(pages, rules.model_copy(update={"min_line_pitch_pt": 30.0}))
    assert len(loose.pages) < len(strict.pages) == 6


def test_tickets_table_refuses_an_unknown_key() -> None:
    values = documents_file().tickets.model_dump()
    with pytest.raises(ValidationError):
        Tickets.model_validate({**values, "max_tickets": 3})
