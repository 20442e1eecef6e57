"""The receipt checks at step 4 (RCT-01…03, ``config/receipts.toml``): what the reader read
against the declared amount, the stay's dates and the other receipts.

A receipt dated outside the stay (RCT-02) or sent twice (RCT-03) is said when it arrives, the
duplicate with a button to remove it (confirmed, in ``states.my_documents``); the total read
against the declared amount (RCT-01) is said once when the user leaves step 4, when every
receipt is in, with a button to fix the amount. Only readings at or above the reader's
threshold count: below it nothing is claimed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from bot.domain.claim import DocumentRef, ReceiptRead
from bot.domain.io import Button, Reply
from bot.receipts import (
    Conversion,
    Finding,
    Read,
    ReceiptReading,
    amount_differs,
    default_rates,
    duplicates,
    outside_stay,
    receipts_config,
)
from states import moves, payloads
from states.events import Outcome
from states.machine import DOCUMENTS
from states.payloads import Payload
from states.prompts import nav
from states.view import FlowView

_TOTAL_RULE = "RCT-01"
T = TypeVar("T")


def _sure(flow: FlowView) -> list[tuple[DocumentRef, ReceiptRead]]:
    threshold = receipts_config().reader.threshold
    return [(doc, read) for doc in flow.draft.documents for read in doc.readings
            if read.confidence >= threshold]


def _at(value: T | None, confidence: float) -> Read[T] | None:
    return None if value is None else Read(value, confidence)


def _as_reading(read: ReceiptRead) -> ReceiptReading:
    """Return a kept reading in the checks' terms (every value at the reading's confidence)."""
    sure = read.confidence
    return ReceiptReading(amount=_at(read.amount, sure), currency=_at(read.currency, sure),
                          date=_at(read.paid_on, sure), provider=_at(read.provider, sure),
                          image_hash=read.image_hash)


def on_arrival(flow: FlowView, document: DocumentRef) -> list[Reply]:
    """Return the warnings about ``document`` just received: out of the stay, or a duplicate."""
    sure = _sure(flow)
    readings = [_as_reading(read) for _, read in sure]
    numbers = [flow.draft.documents.index(doc) + 1 for doc, _ in sure]
    names = [flow.catalog.text("receipts.check.document", number=n) for n in numbers]
    mine = {index for index, (doc, _) in enumerate(sure) if doc.id == document.id}
    found: list[Finding] = []
    start, end = flow.draft.stay_start, flow.draft.stay_end
    if start is not None and end is not None:
        found += outside_stay(readings, start, end)
    replies = [Reply(flow.catalog.text(f.text_key, **f.params))
               for f in found if f.receipt in mine]
    for finding in duplicates(readings, names):
        if finding.receipt in mine:
            drop = Button(payloads.document("remove", document.id),
                          flow.catalog.text("button.drop_duplicate"))
            replies.append(Reply(flow.catalog.text(finding.text_key, **finding.params), (drop,)))
    return replies


def before_leaving(flow: FlowView) -> Reply | None:
    """Return the RCT-01 warning once, when the receipts' total differs from the amount."""
    declared = flow.draft.amount
    if declared is None or _TOTAL_RULE in flow.snapshot.shown_rules:
        return None
    total = Decimal(0)
    sure = _sure(flow)
    repeated = {finding.receipt for finding in duplicates(
        [_as_reading(read) for _, read in sure], [""] * len(sure))}
    rates = default_rates()
    for index, (_, read) in enumerate(sure):
        if index in repeated:
            continue  # a duplicate is not paid twice
        if read.amount is None or read.currency is None or read.paid_on is None:
            return None
        converted = rates.to_euros(read.amount, read.currency, read.paid_on)
        if not isinstance(converted, Conversion):
            return None  # no reliable euros: nothing to compare
        total += converted.eur
    finding = amount_differs(declared, total) if total else None
    if finding is None:
        return None
    flow.snapshot.shown_rules.append(_TOTAL_RULE)
    fix = Button(payloads.build(payloads.Kind.RECEIPTS, "amount"),
                 flow.catalog.text("button.fix_amount"))
    return Reply(flow.catalog.text(finding.text_key, **finding.params),
                 (fix, nav(flow.catalog, "docs_done")))


def fix_amount(flow: FlowView) -> Outcome:
    """Go and change the declared amount (``rcpt:amount``), then back to step 4."""
    if flow.snapshot.state != DOCUMENTS:
        return flow.stale()
    return moves.edit_field(flow, "amount")


def pressed(flow: FlowView, payload: Payload) -> Outcome:
    """Apply ``rcpt:amount``; an older ``rcpt:drop`` is now ``doc:remove`` (confirmed)."""
    return fix_amount(flow) if payload.first == "amount" else flow.stale()
