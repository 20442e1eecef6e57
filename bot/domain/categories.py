"""Categories of supporting documents, from ``config/documents.toml``."""

from __future__ import annotations

from functools import cache

from bot.domain.catalog import get_catalog
from bot.domain.choices import Choice, ChoiceList
from bot.domain.config_files import documents_file


def category_ids() -> list[str]:
    """Return every category id, in the order files are planned."""
    return [entry.id for entry in documents_file().category]


@cache
def category_choices() -> ChoiceList:
    """Return the categories as a list a typed answer can be matched against."""
    return ChoiceList("category", tuple(Choice.of(entry) for entry in documents_file().category))


def category_label(category_id: str, language: str = "fr") -> str:
    """Return the label of a category (« à classer » for a document not sorted yet)."""
    choice = category_choices().get(category_id)
    if choice is None:
        return get_catalog(language).text("documents_step.unsorted")
    return choice.label_for(language)
