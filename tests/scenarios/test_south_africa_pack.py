"""The whole pack of the Afrique du Sud claim (seeds/001 step 3 case 2), two photos attached.

The pack is what the user takes to ameli.fr: the recap laid out like the form's
« Récapitulatif », the checklist with what arrived, the next steps, and the PDFs.
"""

from __future__ import annotations

import io
import logging
import re

import pytest
from pypdf import PdfReader

from bot.domain.io import Reply
from tests.scenarios.conversation import AS_OF_2025, a4_portrait, page_count, south_africa_pack

CRT_03 = ("La loi rend passible d'amende et/ou d'emprisonnement quiconque se rend coupable de "
          "fraudes ou de fausses déclarations en vue d'obtenir ou de tenter d'obtenir des "
          "avantages indus - Article de 313-1 à 313-3 ; 433-19 ; 441-1 et suivants du Code "
          "Pénal.")


@pytest.fixture
async def pack(user, clock) -> list[Reply]:
    clock.today = AS_OF_2025
    return await south_africa_pack(user)


def _text(pack: list[Reply], start: str) -> str:
    """Return the part of the first text holding ``start``, from ``start`` on."""
    text = next(r.text for r in pack if start in r.text)
    return start + text.split(start, 1)[1]


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


async def test_recap_is_laid_out_like_the_form(pack):
    recap = _text(pack, "📋 Récapitulatif")
    expected = [  # label, then answer, in the form's order and formats
        "1 Informations personnelles",
        "Indiquez votre nationalité :", "Française",
        "Indiquez votre situation à la date des soins dispensés à l'étranger :", "Retraité",
        "2 Bénéficiaire et soins",
        "Indiquez la personne ayant bénéficié de soins à l'étranger :",
        "JEAN-MARC - 02/02/1955",
        "Précisez la raison des soins :", "Gastro-entérite, consultation en urgence",
        "Les soins étaient-ils prévus avant le départ ?", "Non",
        "Indiquez la somme des frais médicaux engagés en euros :", "380,00",
        "Les soins reçus sont liés à :", "Une maladie",
        "3 Modalités du séjour",
        "Sélectionnez le pays où ont été dispensés les soins :", "AFRIQUE DU SUD",
        "Motif et période du séjour dans le pays où ont eu lieu les soins :",
        "Motif : Tourisme", "Du 09/05/2025 au 20/05/2025",
        "Une hospitalisation a-t-elle été nécessaire lors du séjour (au moins une nuit "
        "passée à l'hôpital) ?", "Non",
        "4 Les documents : 2 reçu(s) → 2 fichier(s) à déposer (10 au plus) :",
        "• 01_facture.pdf", "• 02_preuve_paiement_ticket-carte.pdf",
    ]
    reference, *lines = [line for line in recap.splitlines()[1:] if line]
    assert reference.startswith("Référence de votre demande : SE-0")  # issue 14: a reference
    assert lines[:len(expected)] == expected
    assert lines[len(expected)].startswith("En cochant cette case")  # then the boxes (CRT-01)
    # Outside the zone the form asks neither the tariff nor a partial refund (VAL-12).
    assert "tarification" not in recap and "remboursement partiel" not in recap
    dates = re.findall(r"\d+[/.-]\d+[/.-]\d+", recap)
    assert dates and all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", d) for d in dates)


async def test_checklist_shows_what_arrived_and_what_is_missing(pack):
    assert _text(pack, "Pièces à joindre").splitlines() == [
        "Pièces à joindre",
        "✅ Facture",
        "✅ Preuve de paiement",
        "⬜ Prescription (conseillé)",
        "⬜ Passeport",
        "⬜ Compte rendu médical",
        "Fichiers : 10 au plus · JPG, PNG ou PDF · PDF ≤ 500 ko · A4 portrait.",
    ]


async def test_next_steps_say_where_the_limits_and_what_comes_after(pack):
    steps = _text(pack, "Prochaines étapes")
    assert "Votre parcours : Soins hors de la zone UE / EEE / Royaume-Uni / Suisse" in steps
    assert "base forfaitaire" in steps  # ZON-08, among the points d'attention
    assert ("1. Où déposer : Compte ameli (identifiants ou FranceConnect) → « Démarches » → "
            "« Frais de santé » → « Demander un remboursement de soins à l'étranger » → "
            "« Démarrer votre demande ».") in steps  # FRM-00
    assert "2 demandes au plus par période de 15 jours pour tout le compte" in steps  # LIM-01
    assert "refaites la démarche pour chaque membre de la famille" in steps  # LIM-02
    assert "en moyenne 4 semaines" in steps and "1 à 2 mois" in steps  # AFT-01
    assert "« Ma demande est bien transmise ! »" in steps  # AFT-02
    assert "Téléchargez-le en PDF" in steps  # AFT-02
    assert "courrier de refus" in steps  # AFT-03
    assert "36 46, depuis l'étranger +33 1 84 90 36 46" in steps  # AFT-04
    assert steps.endswith(CRT_03)  # shown verbatim, last


async def test_files_are_the_summary_and_one_pdf_per_category(pack):
    files = [a for r in pack for a in r.attachments]
    assert [f.filename for f in files] == [
        # The names keep where a file comes from: « ticket_carte.jpg » (issue 14).
        "00_recapitulatif.pdf", "01_facture.pdf", "02_preuve_paiement_ticket-carte.pdf"]
    sent_with = next(r.text for r in pack if r.attachments)
    assert "vos 2 document(s)" in sent_with
    for file in files:
        assert file.mime == "application/pdf"
        assert file.data.startswith(b"%PDF")
        assert len(file.data) <= 500_000, file.filename  # FIL-03
        assert a4_portrait(file.data), file.filename  # FIL-04
    for file in files[1:]:  # each photo became one readable page
        assert page_count(file.data) == 1


async def test_summary_pdf_holds_recap_checklist_and_next_steps(pack):
    summary = next(a for r in pack for a in r.attachments
                   if a.filename == "00_recapitulatif.pdf")
    text = _pdf_text(summary.data)
    for expected in ("AFRIQUE DU SUD", "380,00", "JEAN-MARC - 02/02/1955",
                     "Du 09/05/2025 au 20/05/2025", "Pièces justificatives",
                     "Prochaines étapes", "36 46"):
        assert expected in text


async def test_summary_pdf_draws_every_character_once(user, clock, caplog):
    clock.today = AS_OF_2025
    with caplog.at_level(logging.WARNING):
        pack = await south_africa_pack(user)
    assert not [r for r in caplog.records if "missing the following glyphs" in r.getMessage()]
    summary = next(a.data for r in pack for a in r.attachments)
    assert _pdf_text(summary).count("Récapitulatif") == 1  # the chat's « 📋 » title dropped
