"""Categories of supporting documents, from ``config/documents.toml``."""

from __future__ import annotations

from functools import cache

from bot.domain.catalog import get_catalog, load_toml


@cache
def _categories() -> tuple[dict[str, str], ...]:
    return tuple(load_toml("documents.toml")["category"])


def category_ids() -> list[str]:
    """Return every category id, in the order files are planned."""
    return [entry["id"] for entry in _categories()]


def category_label(category_id: str, language: str = "fr") -> str:
    """Return the label of a category (« à classer » for a document not sorted yet)."""
    for entry in _categories():
        if entry["id"] == category_id:
            return entry["label_en" if language == "en" else "label_fr"]
    return get_catalog(language).text("documents_step.unsorted")
