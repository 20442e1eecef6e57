"""Issue 14 (4): output names say where a document comes from, safely (filenames)."""

from __future__ import annotations

import re

import pytest

from bot.domain.claim import DocumentRef, ReceiptRead
from bot.domain.filenames import document_source, shown_name, slug, sources


@pytest.mark.parametrize(("name", "category", "expected"), [
    ("facture_clinique_bangkok", "facture", "clinique-bangkok"),
    ("Facture Clinique Bangkok", "facture", "clinique-bangkok"),
    ("Hôpital Saint-Louis", "facture", "hopital-saint-louis"),
    ("facture", "facture", ""),  # the name starts with the category already
    ("paiement", "preuve_paiement", ""),
    ("ticket_carte", "preuve_paiement", "ticket-carte"),
    ("IMG_20201012_1234", "facture", ""),  # a camera's name says nothing
    ("photo-10023", "autre", ""),
    ("scan3", "facture", ""),
    ("WhatsApp Image 2020-10-12 at 10.12.33", "facture", ""),
])
def test_slug_keeps_the_telling_words(name, category, expected):
    assert slug(name, category) == expected


@pytest.mark.parametrize("hostile", [
    "../../etc/passwd", "..\\..\\windows\\system32", "a/b/c", "x" * 10_000, "\x00\x1b[31mred",
    "名前.pdf", "con", "  ", "😀" * 50, "a" + "-b" * 200,
])
def test_a_slug_is_never_a_path_and_always_short(hostile):
    made = slug(hostile)
    assert re.fullmatch(r"[a-z0-9-]*", made) and len(made) <= 30
    assert not made.startswith("-") and not made.endswith("-")


def test_several_origins_are_joined_within_the_bound():
    assert sources(["clinique-a", "clinique-a", "", "pharmacie-b"]) == "clinique-a_pharmacie-b"
    assert sources(["a" * 20, "b" * 20]) == "a" * 20


def test_the_provider_read_surely_comes_before_the_file_name():
    sure = ReceiptRead(provider="CLINIQUE SANTA MARIA n° 1001", confidence=0.9)
    unsure = ReceiptRead(provider="CL1N1QUE S@NTA", confidence=0.5)
    document = DocumentRef(id="1", category="facture", filename="facture_bangkok.jpg",
                           readings=[sure])
    assert document_source(document, 0.8) == "clinique-santa-maria"
    assert document_source(document.model_copy(update={"readings": [unsure]}), 0.8) == "bangkok"


def test_a_shown_name_has_no_folder_and_no_control_character():
    assert shown_name("../../etc/pass\x00wd.pdf") == "passwd.pdf"
    assert shown_name("C:\\Users\\me\\facture.pdf") == "facture.pdf"
    assert len(shown_name("x" * 1000)) == 60
