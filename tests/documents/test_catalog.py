"""Texts: French and English catalogs define the same documents.* keys."""

from __future__ import annotations

from bot.domain.catalog import get_catalog


def _document_keys(language: str) -> set[str]:
    keys = get_catalog(language).keys()  # a method of Catalog, not of a dict
    return {key for key in keys if key.startswith("documents.")}


def test_fr_and_en_have_the_same_document_keys() -> None:
    assert _document_keys("fr")
    assert _document_keys("fr") == _document_keys("en")
