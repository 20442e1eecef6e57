"""The document checklist built from an evaluation (DOC-01…DOC-07)."""

from __future__ import annotations

from datetime import date

from bot.domain.checklist import build_checklist, missing_required, render_checklist
from bot.domain.claim import ClaimDraft, DocumentRef
from bot.domain.eligibility import evaluate

TODAY = date(2025, 6, 1)


def _draft(*categories: str, **answers: object) -> ClaimDraft:
    docs = [DocumentRef(id=str(i), category=c) for i, c in enumerate(categories)]
    return ClaimDraft(scheduled="non", country="ZA", hospitalised="oui", documents=docs,
                      **answers)


def test_items_follow_the_evaluation_with_labels_and_levels() -> None:
    draft = _draft("facture")
    items = build_checklist(draft, evaluate(draft, today=TODAY))
    by_category = {item.category: item for item in items}
    assert list(by_category) == ["facture", "preuve_paiement", "prescription", "passeport",
                                 "compte_rendu", "titre_transport"]
    assert by_category["facture"].received and by_category["facture"].label == "Facture"
    assert by_category["prescription"].required is False  # DOC-02 is a WARN
    assert by_category["passeport"].rule_id == "DOC-05"


def test_missing_required_lists_only_blocking_documents_not_received() -> None:
    draft = _draft("facture", "preuve_paiement", "passeport", "compte_rendu")
    items = build_checklist(draft, evaluate(draft, today=TODAY))
    assert [item.category for item in missing_required(items)] == ["titre_transport"]


def test_all_received_leaves_nothing_missing() -> None:
    draft = _draft("facture", "preuve_paiement", "passeport", "compte_rendu",
                   "titre_transport")
    assert missing_required(build_checklist(draft, evaluate(draft, today=TODAY))) == []


def test_render_is_short_lines_with_marks() -> None:
    draft = _draft("facture")
    text = render_checklist(build_checklist(draft, evaluate(draft, today=TODAY)))
    lines = text.splitlines()
    assert "✅ Facture" in lines
    assert "⬜ Preuve de paiement" in lines
    assert "⬜ Prescription (conseillé)" in lines
    assert all(len(line) <= 80 for line in lines)


def test_render_in_english() -> None:
    draft = _draft("facture")
    text = render_checklist(build_checklist(draft, evaluate(draft, today=TODAY)), "en")
    assert "✅ Invoice" in text and "⬜ Prescription (recommended)" in text


def test_detachment_documents_depend_on_length() -> None:
    for length, word in (("long", "détachement"), ("court", "mission")):
        draft = _draft(stay_reason="detachement", detachment_length=length)
        item = next(i for i in build_checklist(draft, evaluate(draft, today=TODAY))
                    if i.category == "detachement")
        assert item.required and item.rule_id == "DOC-04" and word in item.text


def test_empty_checklist_renders_a_sentence() -> None:
    assert render_checklist([]) == "Aucune pièce à lister pour l'instant."
