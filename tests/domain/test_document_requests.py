"""Issue 14 (4): typed requests about a file received, with typos (``document_requests``)."""

from __future__ import annotations

import pytest

from bot.domain.document_requests import DocumentRequest, read_request

LAST = None  # the request names no category: the latest document


@pytest.mark.parametrize(("typed", "action", "category"), [
    ("supprimer la dernière photo", "remove", LAST),
    ("supprime le dernier document", "remove", LAST),
    ("Supprimez le dernier fichier svp", "remove", LAST),
    ("suprimer la dernire photo", "remove", LAST),
    ("enlever la facture", "remove", "facture"),
    ("enlevr la factur", "remove", "facture"),
    ("je voudrais retirer le ticket de carte", "remove", "preuve_paiement"),
    ("effacer l'ordonnance", "remove", "prescription"),
    ("remove the last photo", "remove", LAST),
    ("delete the invoice", "remove", "facture"),
    ("remplacer la dernière photo", "replace", LAST),
    ("replace the passport", "replace", "passeport"),
])
def test_requests(typed, action, category):
    assert read_request(typed) == DocumentRequest(action, category)


@pytest.mark.parametrize("typed", [
    "supprimer", "retirer une dent", "Retrait d'une dent", "effacer mes données",
    "changer de pays", "Nathalie", "la dernière photo", "supprimer " + "la photo " * 30,
    "les soins : supprimer une verrue",
])
def test_sentences_that_are_no_request(typed):
    assert read_request(typed) is None
