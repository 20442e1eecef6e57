"""Next steps (FRM-00, LIM-01, LIM-02, AFT-*, CRT-03) and the summary PDF (FIL-03, FIL-04)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.domain import pack
from bot.domain.claim import ClaimDraft
from bot.domain.eligibility import PastClaim, evaluate
from bot.domain.pack import MAX_PDF_BYTES, build_summary_pdf, render_next_steps

TODAY = date(2025, 6, 1)
CRT_03 = ("La loi rend passible d'amende et/ou d'emprisonnement quiconque se rend coupable de "
          "fraudes ou de fausses déclarations en vue d'obtenir ou de tenter d'obtenir des "
          "avantages indus - Article de 313-1 à 313-3 ; 433-19 ; 441-1 et suivants du Code "
          "Pénal.")
DRAFT = ClaimDraft(regime="general", beneficiary_name="NATHALIE", scheduled="non",
                   care_link="maladie", country="ZA", stay_reason="tourisme",
                   stay_end=date(2025, 5, 20), hospitalised="non")


def test_next_steps_cover_where_limits_after_and_the_legal_notice() -> None:
    text = render_next_steps(DRAFT, evaluate(DRAFT, today=TODAY))
    assert "« Démarches » → « Frais de santé » → « Demander un remboursement" in text  # FRM-00
    assert "2 demandes au plus par période de 15 jours" in text  # LIM-01
    assert "une seule personne" in text  # LIM-02
    assert "4 semaines" in text and "1 à 2 mois" in text  # AFT-01, DIS-05
    assert "Téléchargez-le en PDF" in text  # AFT-02
    assert "courrier de refus" in text  # AFT-03
    assert "+33 1 84 90 36 46" in text  # AFT-04
    assert CRT_03 in text  # CRT-03, verbatim
    assert "forfaitaire" in text  # the route and the ZON-08 warning


def test_next_steps_tell_when_the_next_claim_is_possible() -> None:
    evaluation = evaluate(DRAFT, today=TODAY)
    history = [PastClaim(date(2025, 5, 25))]
    text = render_next_steps(DRAFT, evaluation, today=TODAY, history=history)
    assert "à partir du 09/06/2025" in text  # LIM-01: 25/05 + 15 days
    assert "à partir du" not in render_next_steps(DRAFT, evaluation, today=TODAY)


def test_blocked_claim_gets_the_reason_and_help_only() -> None:
    draft = DRAFT.model_copy(update={"care_link": "militaire"})
    text = render_next_steps(draft, evaluate(draft, today=TODAY))
    assert "CNMSS" in text and "36 46" in text
    assert "Où déposer" not in text


def test_next_steps_in_english() -> None:
    text = render_next_steps(DRAFT, evaluate(DRAFT, today=TODAY, language="en"), "en")
    assert "Where to file" in text and "At most 2 claims" in text


def _pdf(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF")
    return PdfReader(io.BytesIO(data))


def test_summary_pdf_is_a4_portrait_and_small() -> None:
    recap = "\n".join(f"Ligne {i} : réponse « éàç€ »" for i in range(300))  # several pages
    data = build_summary_pdf(recap, "✅ Facture\n⬜ Passeport", "Prochaines étapes\nAide")
    reader = _pdf(data)
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            595, 842)
    assert len(data) <= MAX_PDF_BYTES
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Facture" in text and "Récapitulatif" in text


def test_summary_pdf_without_dejavu_uses_a_core_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack, "DEJAVU", Path("/nonexistent/DejaVuSans.ttf"))
    data = build_summary_pdf("Montant : 200,50 € — œuvre", "✅ Facture\n⬜ Passeport", "→ ok")
    text = _pdf(data).pages[0].extract_text()
    assert "[x] Facture" in text and "[ ] Passeport" in text and "EUR" in text
