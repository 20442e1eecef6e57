"""One claim as operators see it: fields in the form's order, findings, checklist and trace.

Built from what the store returns, the same way for the web page, the JSON export and the
terminal, so the three never disagree.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.archive import claim_reference
from bot.domain.catalog import get_catalog
from bot.domain.checklist import ChecklistItem, build_checklist, render_checklist
from bot.domain.eligibility import Evaluation, PastClaim, evaluate
from bot.domain.pack import build_summary_pdf, render_next_steps
from bot.operator.transcript import shown_transcript
from bot.receipts.summary import receipt_line, render_receipts
from bot.storage.operator_queries import ConversationRow, DocumentInfo, Line
from states.conditions import applies
from states.machine import (
    BLOCKED,
    CANCELLED,
    DOCUMENTS,
    DONE,
    HANDOFF,
    STEPS,
    SUMMARY,
    WELCOME,
)
from states.recap import render_recap
from states.snapshot import FlowSnapshot
from states.values import show_value

PARIS = ZoneInfo("Europe/Paris")
# What the list's « étape » filter offers, each with the machine states it covers.
STEP_STATES: dict[str, tuple[str, ...]] = {
    WELCOME: (WELCOME,),
    **{step.id: tuple(q.id for q in step.questions) for step in STEPS[:3]},
    DOCUMENTS: (DOCUMENTS,),
    SUMMARY: (SUMMARY,),
    DONE: (DONE,),
    BLOCKED: (BLOCKED,),
    CANCELLED: (CANCELLED,),
    HANDOFF: (HANDOFF,),
}
_STEP_OF = {state: step for step, states in STEP_STATES.items() for state in states}


def step_of(state: str) -> str:
    """Return the « étape » (a key of ``STEP_STATES``) a machine state belongs to."""
    return _STEP_OF.get(state, WELCOME)


def paris_time(iso: str) -> str:
    """Return a stored UTC instant as « JJ/MM/AAAA HH:MM », Paris time (as in Medialog+)."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class Field:
    """One answer, under the form's label."""

    label: str
    value: str


@dataclass(frozen=True)
class TraceRow:
    """One contact of the trace, in the manner of Medialog+."""

    number: str
    at: str
    inbound: bool
    qualification: str


@dataclass(frozen=True)
class Dossier:
    """Everything the conversation page, the export and the terminal show."""

    row: ConversationRow
    snapshot: FlowSnapshot
    sections: list[tuple[str, list[Field]]]
    evaluation: Evaluation
    checklist: list[ChecklistItem]
    transcript: list[Line]
    documents: list[DocumentInfo]
    trace: list[TraceRow]

    @property
    def reference(self) -> str:
        """Return the claim reference."""
        return self.row.reference

    def receipts_read(self, doc_id: str) -> list[str]:
        """Return what the receipt reader read on a document, one line per file (issue 12)."""
        catalog = get_catalog("fr")
        lines = [receipt_line(reading, catalog) for doc in self.snapshot.draft.documents
                 if doc.id == doc_id for reading in doc.readings]
        return [line for line in lines if line]


def _sections(snapshot: FlowSnapshot) -> list[tuple[str, list[Field]]]:
    catalog = get_catalog("fr")
    draft = snapshot.draft
    sections = []
    for step in STEPS[:3]:
        fields = [Field(catalog.text(q.label_key), show_value(q, draft.value(q.field), "fr"))
                  for q in step.questions if q.in_recap and applies(q.when, draft)]
        sections.append((f"{step.number} {catalog.text(step.title_key)}", fields))
    return sections


def _history(snapshot: FlowSnapshot, ready: list[tuple[date, str | None]]) -> list[PastClaim]:
    claims = [PastClaim(day, name) for day, name in ready]
    # A ready claim is in its own history: leave it out, as when it was made ready.
    return claims[:-1] if snapshot.ready_on and claims else claims


def _trace(events: list[tuple[str, str, str]], documents: list[DocumentInfo]) -> list[TraceRow]:
    catalog = get_catalog("fr")
    rows: list[tuple[str, bool, str]] = []
    last_step = ""
    for kind, detail, at in events:
        if kind == "blocked":
            rows.append((at, False, catalog.text("operator.trace.blocked", rule=detail)))
            continue
        if kind != "move":  # detail: "<trigger> <from> <to>", one per machine transition
            continue
        step = step_of(detail.rsplit(" ", 1)[-1])
        if not last_step or (step == WELCOME and last_step != WELCOME):
            rows.append((at, True, catalog.text("operator.trace.start")))
        elif step != last_step and step in (DONE, CANCELLED):
            rows.append((at, step == CANCELLED, catalog.text(f"operator.trace.{step}")))
        elif step != last_step and step not in (BLOCKED, WELCOME):
            title = catalog.text(f"operator.step.{step}")
            rows.append((at, True, catalog.text("operator.trace.step", step=title)))
        last_step = step
    rows += [(d.received_at, True, catalog.text("operator.trace.document")) for d in documents]
    rows.sort(key=lambda row: row[0])
    return [TraceRow(f"{i} - 1", paris_time(at), inbound, text)
            for i, (at, inbound, text) in enumerate(rows, start=1)]


def build_dossier(
    row: ConversationRow,
    snapshot_json: str,
    *,
    transcript: list[Line],
    events: list[tuple[str, str, str]],
    documents: list[DocumentInfo],
    ready: list[tuple[date, str | None]],
    today: date,
) -> Dossier:
    """Assemble the operator's view of one claim."""
    snapshot = FlowSnapshot.model_validate_json(snapshot_json)
    evaluation = evaluate(snapshot.draft, today=snapshot.ready_on or today,
                          history=_history(snapshot, ready))
    return Dossier(row, snapshot, _sections(snapshot), evaluation,
                   build_checklist(snapshot.draft, evaluation),
                   shown_transcript(transcript, documents, snapshot.language), documents,
                   _trace(events, documents))


def export_data(dossier: Dossier) -> dict[str, Any]:
    """Return the claim as JSON-ready data: fields, findings, checklist, transcript, files."""
    snapshot = dossier.snapshot
    return {
        "reference": dossier.reference,
        "status": snapshot.status.value,
        "state": snapshot.state,
        "claim_no": snapshot.claim_no,
        "fields": [{"section": title, "label": f.label, "value": f.value}
                   for title, fields in dossier.sections for f in fields],
        "draft": snapshot.draft.model_dump(mode="json"),
        "route": dossier.evaluation.route,
        "findings": [{"rule_id": f.rule_id, "level": f.level.value, "text": f.text,
                      "field": f.field} for f in dossier.evaluation.findings],
        "blocked": snapshot.blocked.model_dump() if snapshot.blocked else None,
        "checklist": [{"category": i.category, "label": i.label, "required": i.required,
                       "received": i.received, "rule_id": i.rule_id} for i in dossier.checklist],
        "transcript": [{"direction": line.direction, "text": line.text, "at": line.at,
                        "buttons": list(line.buttons), "files": list(line.files),
                        "chosen": line.chosen, "document": line.document}
                       for line in dossier.transcript],
        "documents": [{"id": d.id, "reference": claim_reference(dossier.row.number, d.claim_no),
                       "filename": d.filename, "mime": d.mime, "pages": d.page_count,
                       "received_at": d.received_at, "original_bytes": d.original_size,
                       "pdf_bytes": d.pdf_size} for d in dossier.documents],
    }


async def summary_pdf(dossier: Dossier) -> bytes:
    """Return the summary PDF the user received (or would receive) for this claim."""
    draft = dossier.snapshot.draft
    recap = render_recap(draft, "fr")
    receipts = render_receipts(draft, get_catalog("fr"))  # as in the user's pack
    recap += "\n\n" + receipts if receipts else ""
    checklist = render_checklist(dossier.checklist, "fr")
    next_steps = render_next_steps(draft, dossier.evaluation, "fr")
    return await asyncio.to_thread(build_summary_pdf, recap, checklist, next_steps)
