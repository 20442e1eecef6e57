"""Step 4 « Document(s) »: files arrive at any time; each is sorted into a category.

The category question is not a state: its buttons name the document, so a file sent in the
middle of step 2 is sorted there and the current question is asked again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.categories import category_choices, category_ids, category_label
from bot.domain.checklist import build_checklist, missing_required, render_checklist
from bot.domain.io import Reply
from states.events import DocumentAdded, Outcome
from states.prompts import category_buttons, nav

if TYPE_CHECKING:
    from states.flow import ClaimFlow

def _checklist(flow: ClaimFlow) -> list:  # type: ignore[type-arg]
    return build_checklist(flow.draft, flow.evaluation())


def _expected(flow: ClaimFlow) -> list[str]:
    """Return the categories still missing, required ones first: offered first."""
    items = _checklist(flow)
    missing = [i for i in items if not i.received]
    return [i.category for i in sorted(missing, key=lambda i: not i.required)]


def added(flow: ClaimFlow, event: DocumentAdded) -> Outcome:
    """Keep a converted document and ask which kind it is."""
    document = event.document
    flow.draft.documents.append(document)
    catalog = flow.catalog
    text = "\n".join([
        catalog.text("documents_step.received", pages=document.page_count,
                     size=max(1, document.pdf_size // 1000)),
        *event.notices,
        catalog.text("documents_step.which_category"),
    ])
    return Outcome([Reply(text, category_buttons(document.id, _expected(flow),
                                                 flow.snapshot.language))])


def categorise(flow: ClaimFlow, rest: str) -> Outcome:
    """Record the category chosen for a document, then go on where the user was."""
    doc_id, _, category = rest.partition(":")
    document = next((d for d in flow.draft.documents if d.id == doc_id), None)
    if document is None or category not in category_ids():
        return flow.stale()
    document.category = category
    lead = flow.catalog.text("documents_step.sorted",
                             category=category_label(category, flow.snapshot.language))
    return flow.prompt(lead)


def categorise_typed(flow: ClaimFlow, text: str) -> Outcome | None:
    """Sort the oldest unsorted document by a typed category name, if it names one."""
    unsorted = [d for d in flow.draft.documents if d.category is None]
    choice = category_choices().match(text)
    if not unsorted or choice is None:
        return None
    return categorise(flow, f"{unsorted[0].id}:{choice.id}")


def checklist_reply(flow: ClaimFlow) -> Reply:
    """Return the live checklist of required documents (« voir la liste »)."""
    return Reply(render_checklist(_checklist(flow), flow.snapshot.language))


def prompt(flow: ClaimFlow, top: str) -> Reply:
    """Return the message of step 4: what to send and the checklist."""
    catalog = flow.catalog
    checklist = render_checklist(_checklist(flow), flow.snapshot.language)
    count = len(flow.draft.documents)
    text = "\n\n".join(p for p in (
        top, catalog.text("documents_step.prompt"), checklist,
        catalog.text("documents_step.count", count=count),
    ) if p)
    return Reply(text, (nav(catalog, "docs_done"), nav(catalog, "list"), nav(catalog, "back")))


def done(flow: ClaimFlow, *, confirmed: bool) -> Outcome:
    """Leave step 4, once every document is sorted and missing ones are acknowledged."""
    catalog = flow.catalog
    unsorted = [d for d in flow.draft.documents if d.category is None]
    if unsorted:
        first = unsorted[0]
        return Outcome([Reply(catalog.text("documents_step.sort_first"),
                              category_buttons(first.id, _expected(flow),
                                               flow.snapshot.language))])
    missing = missing_required(_checklist(flow))
    if missing and not confirmed:
        names = "\n".join(f"• {item.label}" for item in missing)
        return Outcome([Reply(catalog.text("documents_step.missing", names=names),
                              (nav(catalog, "docs_continue"), nav(catalog, "resume")))])
    flow.snapshot.documents_seen = True
    return flow.advance(Outcome())
