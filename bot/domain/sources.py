"""Official sources by their names: what « Pourquoi ? » cites (never a RULES.md key)."""

from __future__ import annotations

from bot.domain.catalog import Catalog
from bot.domain.ruleset import source_parts


def source_names(source: str, catalog: Catalog) -> str:
    """Return a rule's sources in plain words: « Code de la sécurité sociale, art. L160-11 »."""
    names = []
    for key, articles in source_parts(source):
        name = catalog.text(f"rules.source.{key}")
        names.append(catalog.text("rules.format.article", source=name, articles=articles)
                     if articles else name)
    return " ; ".join(names)
