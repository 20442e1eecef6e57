"""The document checklist: which categories the claim needs and which ones arrived (DOC-*)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.domain.catalog import get_catalog
from bot.domain.categories import category_label
from bot.domain.claim import ClaimDraft
from bot.domain.eligibility import Evaluation, Level, get_ruleset

# The file constraints the footer sums up (FIL-01…FIL-04) live in `checklist.files`.


@dataclass(frozen=True)
class ChecklistItem:
    """One document category: required (BLOCK) or recommended (WARN), received or not."""

    category: str
    label: str
    required: bool
    received: bool
    rule_id: str
    text: str = ""


@cache
def _answer_dependent() -> frozenset[str]:
    """Return the categories whose document differs by answers at one level (DOC-04)."""
    keys: dict[tuple[str, str], set[str]] = {}
    for doc in get_ruleset().documents:
        keys.setdefault((doc.category, doc.level), set()).add(doc.key)
    return frozenset(category for (category, _), found in keys.items() if len(found) > 1)


def build_checklist(draft: ClaimDraft, evaluation: Evaluation) -> list[ChecklistItem]:
    """List the documents the evaluation asks for, marking those already received."""
    received = draft.categories_received()
    return [
        ChecklistItem(
            category=doc.category,
            label=category_label(doc.category),
            required=doc.level is Level.BLOCK,
            received=doc.category in received,
            rule_id=doc.rule_id,
            text=doc.text,
        )
        for doc in evaluation.documents
        if doc.level in (Level.BLOCK, Level.WARN)
    ]


def missing_required(items: Sequence[ChecklistItem]) -> list[ChecklistItem]:
    """Return the required items not received yet."""
    return [item for item in items if item.required and not item.received]


def render_checklist(items: Sequence[ChecklistItem], language: str = "fr") -> str:
    """Render the checklist as short ✅ / ⬜ lines for a phone screen."""
    catalog = get_catalog(language)
    if not items:
        return catalog.text("checklist.empty")
    lines = [catalog.text("checklist.title")]
    for item in items:
        mark = catalog.text("checklist.received" if item.received else "checklist.missing")
        template = "checklist.required" if item.required else "checklist.recommended"
        # Where the answers choose the document (detachment by length and place), name it.
        label = (item.text if item.text and item.category in _answer_dependent()
                 else category_label(item.category, language))
        lines.append(catalog.text(template, mark=mark, label=label))
    lines.append(catalog.text("checklist.files"))
    return "\n".join(lines)
