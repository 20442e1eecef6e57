"""The recap, laid out like the form's « Récapitulatif »: same labels, order and formats."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.catalog import get_catalog
from bot.domain.categories import category_label
from bot.domain.claim import ClaimDraft
from bot.domain.limits import MAX_FILES
from bot.domain.parsing import format_date
from states.conditions import applies
from states.machine import QUESTIONS, STEPS
from states.snapshot import PlannedFile
from states.values import show_value

# Fields the form shows together under one label (FRM-03, FRM-09/10, FRM-11).
_GROUPED = {
    "care.beneficiary_birth_date", "stay.stay_start", "stay.stay_end", "stay.hospital_end",
}


def _period(start: object, end: object, language: str) -> str:
    catalog = get_catalog(language)
    shown = [format_date(v) if v else "—" for v in (start, end)]  # type: ignore[arg-type]
    return catalog.text("recap.period", start=shown[0], end=shown[1])


def _entry(qid: str, draft: ClaimDraft, language: str) -> list[str]:
    catalog = get_catalog(language)
    question = QUESTIONS[qid]
    label = catalog.text(question.label_key)
    if qid == "care.beneficiary_name":
        name = (draft.beneficiary_name or "—").upper()
        birth = format_date(draft.beneficiary_birth_date) if draft.beneficiary_birth_date else "—"
        return [label, f"{name} - {birth}"]
    if qid == "stay.stay_reason":
        reason = show_value(question, draft.stay_reason, language)
        return [label, catalog.text("recap.reason", reason=reason),
                _period(draft.stay_start, draft.stay_end, language)]
    if qid == "stay.hospital_start":
        return [label, _period(draft.hospital_start, draft.hospital_end, language)]
    return [label, show_value(question, draft.value(question.field), language)]


def render_recap(
    draft: ClaimDraft, language: str = "fr", files: Sequence[PlannedFile] | None = None,
    *, reference: str = "",
) -> str:
    """Return the recap text; ``files`` are the planned files, once known."""
    catalog = get_catalog(language)
    blocks = [catalog.text("recap.title"), reference]
    for step in STEPS[:3]:
        lines = [f"{step.number} {catalog.text(step.title_key)}"]
        for question in step.questions:
            if question.in_recap and question.id not in _GROUPED and applies(question.when,
                                                                             draft):
                lines += _entry(question.id, draft, language)
        blocks.append("\n".join(lines))
    blocks.append(_documents_block(draft, language, files))
    return "\n\n".join(block for block in blocks if block)


def copy_fields(
    draft: ClaimDraft, language: str = "fr"
) -> list[tuple[int, list[tuple[str, str]]]]:
    """Return, per step of the form, each answered field's short label and its value.

    Labels are in ``language``; values are what the form shows, in French whatever the
    conversation's language: they are pasted into the French form.
    """
    steps: list[tuple[int, list[tuple[str, str]]]] = []
    catalog = get_catalog(language)
    for step in STEPS[:3]:
        fields = [
            (catalog.text(f"question.{question.id}.short"),
             show_value(question, draft.value(question.field), "fr"))
            for question in step.questions
            if question.in_recap and applies(question.when, draft)
            and draft.value(question.field) is not None
        ]
        steps.append((step.number, fields))
    return steps


def file_lines(files: Sequence[PlannedFile], language: str) -> list[str]:
    """Return one line per planned file; a merged one says how many documents it holds."""
    catalog = get_catalog(language)
    return [catalog.text("recap.file_merged", name=file.name, count=file.documents,
                         pages=file.pages) if file.documents > 1 else f"• {file.name}"
            for file in files]


def _documents_block(draft: ClaimDraft, language: str, files: Sequence[PlannedFile] | None) -> str:
    catalog = get_catalog(language)
    if files is not None:
        # Received and sent counts side by side: 9 documents may make 7 files (FIL-01, FIL-05).
        received = sum(file.documents for file in files)
        header = catalog.text("recap.documents", received=received, count=len(files),
                              limit=MAX_FILES)
        return "\n".join([f"4 {header}", *file_lines(files, language)])
    counts: dict[str, int] = {}
    for doc in draft.documents:
        key = doc.category or "unsorted"
        counts[key] = counts.get(key, 0) + 1
    lines = [f"4 {catalog.text('recap.documents_received', count=len(draft.documents))}"]
    lines += [
        f"• {category_label(key, language)} × {count}" for key, count in counts.items()
    ]
    return "\n".join(lines)
