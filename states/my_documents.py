"""« Mes documents »: every file received, and what the user may do to each.

The list gives each document's number, category, pages and file name, with one button per
document; a document's buttons remove it (confirmed first: it is erased), replace it (the next
file received takes its place and category) or change its category. Typed requests do the
same: « supprimer la dernière photo », « enlever la facture »
(``bot.domain.document_requests``). Buttons carry ``doc:<action>:<document>``; an action or a
document the claim does not have is a stale button. Documents of an ended claim stay as sent.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.categories import category_label
from bot.domain.claim import DocumentRef
from bot.domain.document_requests import read_request
from bot.domain.io import Button, Reply
from bot.domain.phrases import join
from states import moves, payloads, receipt_checks
from states.events import DocumentAdded, Outcome
from states.machine import WELCOME
from states.payloads import Payload
from states.prompts import category_buttons, nav
from states.screen_documents import changed, expected
from states.view import FlowView

# Buttons of the list beyond these many are the latest documents only (a keyboard stays usable).
MAX_LISTED = 30


def _describe(flow: FlowView, document: DocumentRef) -> str:
    """Return « n°2 · Facture · 2 page(s) · facture.pdf »."""
    catalog = flow.catalog
    number = flow.draft.documents.index(document) + 1
    parts = [catalog.text("my_documents.number", number=number),
             category_label(document.category or "", flow.snapshot.language),
             catalog.text("my_documents.pages", pages=document.page_count), document.filename]
    return " · ".join(part for part in parts if part)


def _closed(flow: FlowView) -> Outcome | None:
    """Refuse when the claim's documents cannot change (not begun, or ended)."""
    state, catalog = flow.snapshot.state, flow.catalog
    if state in moves.ENDED:
        key = "my_documents.closed"
    elif state == WELCOME or not flow.draft.documents:
        key = "my_documents.none"
    else:
        return None
    return Outcome([Reply(catalog.text(key), (nav(catalog, "resume"),))])


def show(flow: FlowView, _: str = "") -> Outcome:
    """List the documents received (``/mes_documents``), one button each."""
    refused = _closed(flow)
    if refused is not None:
        return refused
    catalog = flow.catalog
    documents = flow.draft.documents
    lines = [catalog.text("my_documents.title", count=len(documents)),
             *(f"• {_describe(flow, document)}" for document in documents),
             catalog.text("my_documents.how")]
    buttons = [Button(payloads.document("open", document.id), _describe(flow, document))
               for document in documents[-MAX_LISTED:]]
    return Outcome([Reply(join("\n", lines), (*buttons, nav(catalog, "resume")))])


def _open(flow: FlowView, document: DocumentRef) -> Outcome:
    catalog = flow.catalog
    actions = [Button(payloads.document(action, document.id), catalog.text(f"button.doc_{action}"))
               for action in ("remove", "replace", "type")]
    text = catalog.text("my_documents.chosen", document=_describe(flow, document))
    return Outcome([Reply(text, (*actions, nav(catalog, "my_documents"),
                                 nav(catalog, "resume")))])


def _ask_removal(flow: FlowView, document: DocumentRef) -> Outcome:
    """Ask before removing: a removed document is erased (issue 14: destructive, confirmed)."""
    catalog = flow.catalog
    yes = Button(payloads.document("erase", document.id), catalog.text("button.doc_erase"))
    text = catalog.text("my_documents.confirm_remove", document=_describe(flow, document))
    return Outcome([Reply(text, (yes, nav(catalog, "resume")))])


def _remove(flow: FlowView, document: DocumentRef) -> Outcome:
    """Remove the document; the service erases its files with the turn."""
    lead = flow.catalog.text("my_documents.removed", document=_describe(flow, document))
    snapshot = flow.snapshot
    flow.draft.documents = [doc for doc in flow.draft.documents if doc.id != document.id]
    if snapshot.receipts_for_amount is not None:
        snapshot.receipts_for_amount = [d for d in snapshot.receipts_for_amount
                                        if d != document.id]
    if snapshot.replacing == document.id:
        snapshot.replacing = None
    return changed(flow, lead)


def _replace(flow: FlowView, document: DocumentRef) -> Outcome:
    """Wait for the file that takes the document's place."""
    catalog = flow.catalog
    flow.snapshot.replacing = document.id
    keep = Button(payloads.document("keep", document.id), catalog.text("button.doc_keep"))
    text = catalog.text("my_documents.send_replacement", document=_describe(flow, document))
    return Outcome([Reply(text, (keep, nav(catalog, "my_documents")))])


def _keep(flow: FlowView, document: DocumentRef) -> Outcome:
    flow.snapshot.replacing = None
    return flow.prompt(flow.catalog.text("my_documents.kept",
                                         document=_describe(flow, document)))


def _retype(flow: FlowView, document: DocumentRef) -> Outcome:
    text = flow.catalog.text("my_documents.which_category", document=_describe(flow, document))
    return Outcome([Reply(text, category_buttons(document.id, expected(flow),
                                                 flow.snapshot.language))])


_ACTIONS: dict[str, Callable[[FlowView, DocumentRef], Outcome]] = {
    "open": _open,
    "remove": _ask_removal,
    "erase": _remove,
    "replace": _replace,
    "keep": _keep,
    "type": _retype,
}
"""``doc:<action>:<document>``: what each action does to the document."""


def pressed(flow: FlowView, payload: Payload) -> Outcome:
    """Apply ``doc:<action>:<document>`` to a document of the claim, if both exist."""
    action = _ACTIONS.get(payload.first)
    document = next((doc for doc in flow.draft.documents if doc.id == payload.second), None)
    if action is None or document is None or flow.snapshot.state in moves.ENDED:
        return flow.stale()
    return action(flow, document)


def typed(flow: FlowView, text: str) -> Outcome | None:
    """Handle « supprimer la dernière photo »-like requests; None when ``text`` is not one."""
    request = read_request(text)
    if request is None:
        return None
    refused = _closed(flow)
    if refused is not None:
        return refused
    documents = flow.draft.documents
    wanted = [doc for doc in documents if request.category in (None, doc.category)]
    if not wanted:
        return show(flow)  # no document of that category: the list, to pick one
    act = _ask_removal if request.action == "remove" else _replace
    return act(flow, wanted[-1])


def replaced(flow: FlowView, event: DocumentAdded) -> Outcome | None:
    """Put a file received in place of the document being replaced; None if there is none."""
    snapshot = flow.snapshot
    documents = flow.draft.documents
    old = next((doc for doc in documents if doc.id == snapshot.replacing), None)
    snapshot.replacing = None
    if old is None:
        return None
    new = event.document.model_copy(update={"category": old.category,
                                            "readings": list(event.readings)})
    documents[documents.index(old)] = new
    lead = join("\n", [flow.catalog.text("my_documents.replaced",
                                         document=_describe(flow, new)), *event.notices])
    if new.category is None:  # it was not sorted yet: ask, as for any file
        return Outcome([Reply(lead, category_buttons(new.id, expected(flow),
                                                     snapshot.language))])
    outcome = changed(flow, lead)
    return outcome.say(*receipt_checks.on_arrival(flow, new))
