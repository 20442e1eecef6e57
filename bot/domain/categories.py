"""Categories of supporting documents, from ``config/documents.toml``."""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.domain.catalog import get_catalog, load_toml
from bot.domain.choices import Choice, ChoiceList


@cache
def _categories() -> tuple[dict[str, Any], ...]:
    return tuple(load_toml("documents.toml")["category"])


def category_ids() -> list[str]:
    """Return every category id, in the order files are planned."""
    return [entry["id"] for entry in _categories()]


@cache
def category_choices() -> ChoiceList:
    """Return the categories as a list a typed answer can be matched against."""
    return ChoiceList("category", tuple(
        Choice(c["id"], c["label_fr"], c["label_en"], tuple(c.get("aliases", ())))
        for c in _categories()
    ))


def category_label(category_id: str, language: str = "fr") -> str:
    """Return the label of a category (« à classer » for a document not sorted yet)."""
    for entry in _categories():
        if entry["id"] == category_id:
            return str(entry["label_en" if language == "en" else "label_fr"])
    return get_catalog(language).text("documents_step.unsorted")
