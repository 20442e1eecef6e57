"""Step 4 « Document(s) »: files arrive at any time; each is sorted into a category.

The category question is not a state: its buttons name the document, so a file sent in the
middle of step 2 is sorted there and the current question is asked again.
"""

from __future__ import annotations

from bot.domain.categories import category_choices, category_ids, category_label
from bot.domain.checklist import ChecklistItem, build_checklist, missing_required, render_checklist
from bot.domain.intents import intent_of
from bot.domain.io import Reply
from bot.domain.phrases import join
from states import receipt_checks
from states.events import DocumentAdded, Outcome
from states.machine import DOCUMENTS
from states.payloads import Payload
from states.prompts import category_buttons, header, nav
from states.view import FlowView, Screen


def _checklist(flow: FlowView) -> list[ChecklistItem]:
    return build_checklist(flow.draft, flow.evaluation())


def _expected(flow: FlowView) -> list[str]:
    """Return the categories still missing, required ones first: offered first."""
    missing = [item for item in _checklist(flow) if not item.received]
    return [item.category for item in sorted(missing, key=lambda item: not item.required)]


def added(flow: FlowView, event: DocumentAdded) -> Outcome:
    """Keep a converted document and ask which kind it is."""
    document = event.document.model_copy(update={"readings": list(event.readings)})
    flow.draft.documents.append(document)
    catalog = flow.catalog
    text = join("\n", [
        catalog.text("documents_step.received", pages=document.page_count,
                     size=max(1, document.pdf_size // 1000)),
        *event.notices,
        catalog.text("documents_step.which_category"),
    ])
    return Outcome([Reply(text, category_buttons(document.id, _expected(flow),
                                                 flow.snapshot.language)),
                    *receipt_checks.on_arrival(flow, document)])


def categorise(flow: FlowView, payload: Payload) -> Outcome:
    """Record the category pressed for a document (``cat:<document>:<category>``)."""
    return _sort(flow, payload.first, payload.second)


def _sort(flow: FlowView, doc_id: str, category: str) -> Outcome:
    """Record the category of a document, then go on where the user was."""
    document = next((d for d in flow.draft.documents if d.id == doc_id), None)
    if document is None or category not in category_ids():
        return flow.stale()
    document.category = category
    lead = flow.catalog.text("documents_step.sorted",
                             category=category_label(category, flow.snapshot.language))
    return flow.prompt(lead)


def checklist_reply(flow: FlowView) -> Reply:
    """Return the live checklist of required documents (« voir la liste »)."""
    return Reply(render_checklist(_checklist(flow), flow.snapshot.language))


def _prompt(flow: FlowView, lead: str) -> Outcome:
    catalog = flow.catalog
    checklist = render_checklist(_checklist(flow), flow.snapshot.language)
    text = join("\n\n", (
        lead, header(flow.snapshot, catalog), catalog.text("documents_step.prompt"), checklist,
        catalog.text("documents_step.count", count=len(flow.draft.documents)),
    ))
    return Outcome([Reply(text, (nav(catalog, "docs_done"), nav(catalog, "list"),
                                 nav(catalog, "back")))])


def _typed(flow: FlowView, text: str) -> Outcome:
    if intent_of(text, "documents") == "docs_done":
        return _done(flow, "")
    unsorted = [d for d in flow.draft.documents if d.category is None]
    choice = category_choices().match(text)
    if unsorted and choice is not None:
        return _sort(flow, unsorted[0].id, choice.id)
    return flow.prompt(flow.catalog.text("hint.documents"))


def _leave(flow: FlowView, *, confirmed: bool) -> Outcome:
    """Leave step 4, once every document is sorted and missing ones are acknowledged."""
    catalog = flow.catalog
    unsorted = [d for d in flow.draft.documents if d.category is None]
    if unsorted:
        return Outcome([Reply(catalog.text("documents_step.sort_first"),
                              category_buttons(unsorted[0].id, _expected(flow),
                                               flow.snapshot.language))])
    total_differs = None if confirmed else receipt_checks.before_leaving(flow)
    if total_differs is not None:
        return Outcome([total_differs])
    missing = missing_required(_checklist(flow))
    if missing and not confirmed:
        names = "\n".join(f"• {item.label}" for item in missing)
        return Outcome([Reply(catalog.text("documents_step.missing", names=names),
                              (nav(catalog, "docs_continue"), nav(catalog, "resume")))])
    flow.snapshot.documents_seen = True
    return flow.advance(Outcome())


def _done(flow: FlowView, _: str) -> Outcome:
    return _leave(flow, confirmed=False)


SCREEN = Screen(
    state=DOCUMENTS,
    prompt=_prompt,
    on_text=_typed,
    actions={"docs_done": _done,
             "docs_continue": lambda flow, _: _leave(flow, confirmed=True)},
)
