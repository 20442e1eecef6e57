"""The file plan: one PDF per category, split when too large, at most 10 files (FIL-01, FIL-06)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from bot.documents import MAX_FILES, PlanItem, categories, merge, plan_files
from bot.documents.writer import JpegPage, write_pdf
from tests.documents.conftest import blank_pdf, encode


@pytest.fixture(scope="module")
def big_pdfs() -> list[bytes]:
    """Return 11 different compliant one-page PDFs of noisy photos, over 250 kB each."""
    # Noise barely compresses: a 600×800 grey JPEG at quality 95 weighs about 300 kB.
    pages = [Image.effect_noise((600, 800), 80) for _ in range(MAX_FILES + 1)]
    return [write_pdf([JpegPage(encode(page, "JPEG", quality=95), 600, 800)]) for page in pages]


def test_categories_follow_config_order() -> None:
    ids = [category for category, _ in categories()]
    assert ids[:2] == ["facture", "preuve_paiement"]
    assert ids[-1] == "autre"
    assert dict(categories("en"))["facture"] == "Invoice"


def test_small_pdfs_merge_into_one_fil05() -> None:
    pdfs = [blank_pdf([(595, 842)]) for _ in range(5)]
    merged = merge(pdfs)
    assert len(merged) == 1
    assert len(PdfReader(io.BytesIO(merged[0])).pages) == 5


def test_merge_splits_over_500000_bytes_and_keeps_order_fil03(big_pdfs: list[bytes]) -> None:
    assert all(len(pdf) > 250_000 for pdf in big_pdfs)
    merged = merge(big_pdfs[:3])
    assert merged == big_pdfs[:3]


def test_plan_merges_within_category_and_names_files_fil01() -> None:
    small = blank_pdf([(595, 842)])
    plan = plan_files([PlanItem("preuve_paiement", small), PlanItem("facture", small),
                       PlanItem("facture", small), PlanItem("inconnu", small)])
    assert plan.fits
    assert plan.message is None
    assert [f.name for f in plan.files] == [
        "01_facture.pdf",
        "02_preuve_paiement.pdf",
        "03_autre.pdf",
    ]
    assert plan.files[0].page_count == 2
    assert [f.documents for f in plan.files] == [2, 1, 1]  # the merge is counted, to be said


def test_plan_splits_a_large_category(big_pdfs: list[bytes]) -> None:
    items = [PlanItem("facture", big_pdfs[0]), PlanItem("passeport", blank_pdf([(595, 842)]))]
    plan = plan_files([*items, PlanItem("facture", big_pdfs[1])])
    assert [f.name for f in plan.files] == [
        "01_facture.pdf",
        "02_facture-2.pdf",
        "03_passeport.pdf",
    ]
    assert all(len(f.pdf) <= 500_000 for f in plan.files)


def test_more_than_10_files_says_use_s3125_fil06(big_pdfs: list[bytes]) -> None:
    plan = plan_files([PlanItem("facture", pdf) for pdf in big_pdfs])
    assert len(plan.files) == MAX_FILES + 1
    assert not plan.fits
    assert plan.message is not None
    assert "S3125" in plan.message
    assert "rendez-vous" in plan.message


def test_names_keep_where_documents_come_from() -> None:
    """Issue 14 (4): the provider or the file's name, bounded, never a path."""
    small = blank_pdf([(595, 842)])
    plan = plan_files([PlanItem("facture", small, "clinique-bangkok"),
                       PlanItem("facture", small, "clinique-bangkok"),
                       PlanItem("preuve_paiement", small, "banque-siam"),
                       PlanItem("preuve_paiement", small, "hotel-riverside"),
                       PlanItem("passeport", small)])
    assert [f.name for f in plan.files] == [
        "01_facture_clinique-bangkok.pdf",
        "02_preuve_paiement_banque-siam_hotel-riverside.pdf",
        "03_passeport.pdf",
    ]


def test_a_split_category_names_each_part_by_its_own_documents(big_pdfs: list[bytes]) -> None:
    plan = plan_files([PlanItem("facture", big_pdfs[0], "clinique-a"),
                       PlanItem("facture", big_pdfs[1], "clinique-b")])
    assert [f.name for f in plan.files] == ["01_facture_clinique-a.pdf",
                                            "02_facture-2_clinique-b.pdf"]
