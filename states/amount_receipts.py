"""« 📷 Lire le montant sur mes factures » at ``care.amount`` (issue 12 point 3).

The user sends receipts instead of typing: each file is filed as a document (a facture, which
the user may change; it counts for step 4), the service reads it off the loop and hands the
readings in ``DocumentAdded``; the bot proposes the total at the ECB rate of the earliest
receipt's date, confirmed like a typed foreign amount (``states.amount_currency``). A reading
below the reader's threshold, or receipts in several currencies, ask rather than guess.
"""

from __future__ import annotations

from decimal import Decimal

from bot.domain.claim import ReceiptRead
from bot.domain.io import Reply
from bot.domain.money import format_money
from bot.domain.phrases import join
from bot.receipts import receipts_config
from states import amount_currency, receipt_checks
from states.events import DocumentAdded, Outcome
from states.machine import QUESTIONS
from states.payloads import Payload
from states.prompts import category_buttons
from states.snapshot import PendingConversion
from states.view import FlowView

_RECEIPT = "facture"  # the category a file sent here gets, until the user changes it


def pressed(flow: FlowView, payload: Payload) -> Outcome:
    """Apply ``rcpt:read`` (wait for the receipts at the amount question), or a check's button."""
    if payload.first != "read":
        return receipt_checks.pressed(flow, payload)
    if flow.snapshot.state != amount_currency.QUESTION_ID:
        return flow.stale()
    flow.snapshot.receipts_for_amount = []
    flow.snapshot.conversion = None
    return Outcome([Reply(flow.catalog.text("receipts.read.send"))])


def added(flow: FlowView, event: DocumentAdded) -> Outcome:
    """File the receipt, then propose the total of the receipts read so far, or ask."""
    snapshot, catalog = flow.snapshot, flow.catalog
    document = event.document.model_copy(
        update={"category": _RECEIPT, "readings": list(event.readings)})
    flow.draft.documents.append(document)
    read_for = [*(snapshot.receipts_for_amount or []), document.id]
    snapshot.receipts_for_amount = read_for
    filed = Reply(join("\n", [catalog.text("receipts.read.filed", pages=document.page_count),
                              *event.notices]),
                  category_buttons(document.id, [], snapshot.language))
    readings = [r for doc in flow.draft.documents if doc.id in read_for for r in doc.readings]
    return Outcome([filed, *_propose(flow, readings).replies])


def _propose(flow: FlowView, readings: list[ReceiptRead]) -> Outcome:
    catalog = flow.catalog
    threshold = receipts_config().reader.threshold
    sure = [r for r in readings if r.confidence >= threshold and r.amount is not None
            and r.currency is not None and r.paid_on is not None]
    if not readings or len(sure) < len(readings):
        flow.snapshot.conversion = None
        return Outcome([Reply(catalog.text("receipts.read.unsure"))])
    currencies = sorted({r.currency for r in sure if r.currency})
    if len(currencies) > 1:
        flow.snapshot.conversion = None
        return Outcome([Reply(catalog.text("receipts.read.mixed",
                                           currencies=", ".join(currencies)))])
    total = sum((r.amount for r in sure if r.amount is not None), Decimal(0))
    first_day = min(r.paid_on for r in sure if r.paid_on is not None)
    listed = [catalog.text("receipts.read.one", amount=format_money(r.amount),
                           currency=r.currency, date=r.paid_on.strftime("%d/%m"))
              for r in sure if r.amount is not None and r.paid_on is not None]
    said = catalog.text("receipts.read.total", count=len(sure),
                        receipts=catalog.text("receipts.read.and").join(listed),
                        total=format_money(total), currency=currencies[0])
    pending = PendingConversion(amount=total, currency=currencies[0], paid_on=first_day)
    flow.snapshot.conversion = pending
    question = QUESTIONS[amount_currency.QUESTION_ID]
    return Outcome([Reply(said), *amount_currency.ask_next(flow, question, pending).replies])
