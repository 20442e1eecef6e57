"""Step 4 « Document(s) »: files arrive at any time; each is sorted into a category.

The category question is not a state: its buttons name the document, so a file sent in the
middle of step 2 is sorted there and the current question is asked again. At step 4 the
checklist is one live message: shown with the step, then edited as documents are sorted,
removed or replaced (``Live``), while each change is said in one short line. The live
checklist is made once the service has planned the files, so it counts them, and a new merge
is said (« Vos 2 factures sont réunies dans 01_facture.pdf (2 pages) »).
"""

from __future__ import annotations

from bot.domain.categories import category_choices, category_ids, category_label
from bot.domain.checklist import ChecklistItem, build_checklist, missing_required, render_checklist
from bot.domain.intents import intent_of
from bot.domain.io import Live, Reply
from bot.domain.phrases import join
from states import receipt_checks
from states.events import DocumentAdded, Outcome
from states.machine import DOCUMENTS
from states.payloads import Payload
from states.prompts import category_buttons, header, nav
from states.snapshot import PlannedFile
from states.view import FlowView, Screen


def _checklist(flow: FlowView) -> list[ChecklistItem]:
    return build_checklist(flow.draft, flow.evaluation())


def expected(flow: FlowView) -> list[str]:
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
    return Outcome([Reply(text, category_buttons(document.id, expected(flow),
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
    return changed(flow, lead)


def changed(flow: FlowView, lead: str) -> Outcome:
    """Say a change of the documents: at step 4 in one line (the live checklist follows).

    Elsewhere the question on screen is asked again after ``lead``. The boxes certify the
    documents as they are (CRT-02): a change unticks them.
    """
    flow.draft.certified_originals = flow.draft.certified_accuracy = False
    if flow.snapshot.state != DOCUMENTS:
        return flow.prompt(lead)
    return Outcome([_step_line(flow, lead)], checklist=True)


def refused(flow: FlowView, message: str) -> Outcome:
    """Say why a file was not taken: at step 4 in one message, elsewhere before the question."""
    if flow.snapshot.state != DOCUMENTS:
        return Outcome([Reply(message), *flow.prompt().replies])
    return Outcome([_step_line(flow, message)])


def _step_line(flow: FlowView, text: str) -> Reply:
    """Return a short message of step 4, with its buttons: the step is not sent again."""
    catalog = flow.catalog
    return Reply(text, (nav(catalog, "docs_done"), nav(catalog, "my_documents")))


def checklist_reply(flow: FlowView) -> Reply:
    """Return the checklist of required documents (« voir la liste »)."""
    return Reply(render_checklist(_checklist(flow), flow.snapshot.language))


def _live_checklist(flow: FlowView, *, edit: bool) -> Reply:
    """Return step 4's live checklist: what is missing, documents received, files they make."""
    catalog, snapshot = flow.catalog, flow.snapshot
    count = len(flow.draft.documents)
    planned = snapshot.plan_key == snapshot.documents_key()  # else the files are not known yet
    tally = (catalog.text("documents_step.count_files", count=count, files=len(snapshot.planned))
             if count and planned else catalog.text("documents_step.count", count=count))
    text = join("\n\n", (render_checklist(_checklist(flow), snapshot.language), tally))
    if not edit:
        snapshot.checklist_message = None  # the adapter names the new message once shown
    buttons = (nav(catalog, "docs_done"), nav(catalog, "my_documents"), nav(catalog, "back"))
    return Reply(text, buttons, live=Live(snapshot.checklist_message))


def replanned(flow: FlowView, before: list[PlannedFile]) -> list[Reply]:
    """Say the merges the new plan makes, then edit the live checklist (step 4 only)."""
    if flow.snapshot.state != DOCUMENTS:
        return []
    catalog = flow.catalog
    known = {(file.name, file.documents) for file in before}
    merges = [Reply(catalog.text(f"documents_step.merged.{file.category}", count=file.documents,
                                 name=file.name, pages=file.pages))
              for file in flow.snapshot.planned
              if file.documents > 1 and (file.name, file.documents) not in known]
    return [*merges, _live_checklist(flow, edit=True)]


def _prompt(flow: FlowView, lead: str) -> Outcome:
    catalog = flow.catalog
    text = join("\n\n", (lead, header(flow.snapshot, catalog),
                          catalog.text("documents_step.prompt")))
    return Outcome([Reply(text), _live_checklist(flow, edit=False)])


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
                              category_buttons(unsorted[0].id, expected(flow),
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
