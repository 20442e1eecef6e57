"""Amounts typed in a foreign currency at ``care.amount`` (issue 12, DIS-04).

« 45000 THB » → the date paid, unless typed with it (« 45000 THB le 03/07 ») → the euros at
the ECB rate of that date (the last published before it on a weekend or holiday), said with
the rate and its date → « C'est juste » / « Corriger ». An uncertain mark (« $ ») is asked
with one button per currency it may be; a currency the ECB does not publish asks for the euro
amount of the bank statement. The conversion waits in the snapshot (``PendingConversion``);
once confirmed, the form's field gets the euros and ``ClaimDraft.amount_foreign`` what was
typed. Euro answers never come here.
"""

from __future__ import annotations

import re

from bot.domain.claim import ForeignAmount
from bot.domain.date_windows import date_window
from bot.domain.dates import DateWindow
from bot.domain.errors import InvalidAnswer
from bot.domain.io import Button, Reply
from bot.domain.money import EURO, find_currencies, format_money, parse_money
from bot.domain.parsing import format_date, parse_amount, parse_date
from bot.domain.phrases import join
from bot.receipts import Conversion, default_rates
from states import answers, payloads
from states.events import Outcome
from states.machine import QUESTIONS
from states.payloads import Payload
from states.questions import Question
from states.snapshot import PendingConversion
from states.view import FlowView

QUESTION_ID = "care.amount"
_BANK_RULE = "DIS-04"  # said once per claim, like a rule's notice
# « 45000 THB le 03/07 », « 120 $ on 4/7/2020 »: a date typed after the amount.
_TRAILING_DATE = re.compile(r"\s+(?:(?:le|du|on)\s+)?(\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?)\s*$",
                            re.IGNORECASE)


def typed(flow: FlowView, question: Question, text: str) -> Outcome | None:
    """Read text typed at the amount question; None when it is an answer in euros."""
    return _typed_while_pending(flow, question, text) or _offer(flow, question, text)


def _offer(flow: FlowView, question: Question, typed: str) -> Outcome | None:
    """Start converting a typed foreign amount; None when ``typed`` names no other currency."""
    codes = {match.code for _, match in find_currencies(typed)}
    if not codes or codes == {EURO}:
        return None  # euros: the form's own rules, as before
    found = _TRAILING_DATE.search(typed)
    paid_on = None
    if found:
        try:
            paid_on = parse_date(found.group(1), flow.today, _window(flow))
            typed = typed[:found.start()]
        except InvalidAnswer:
            paid_on = None  # not a date after all: the amount's check says what is wrong
    try:
        money = parse_money(typed)
    except InvalidAnswer as error:
        lead = flow.catalog.text(error.key, **{"value": typed[:60], **error.params})
        return Outcome([answers.retry(flow, question, lead)])
    first = money.currency
    pending = PendingConversion(
        amount=money.amount, currency=first.code, paid_on=paid_on,
        candidates=[first.code, *first.alternatives] if not first.certain else [])
    flow.snapshot.conversion = pending
    return ask_next(flow, question, pending)


def _typed_while_pending(flow: FlowView, question: Question, typed: str) -> Outcome | None:
    """Read text typed while a conversion waits; None when it is a new answer to the question."""
    pending = flow.snapshot.conversion
    if pending is None:
        return None
    if pending.candidates or pending.proposed is not None or find_currencies(typed):
        flow.snapshot.conversion = None  # another amount (e.g. the bank statement's euros)
        return None
    try:
        pending.paid_on = parse_date(typed, flow.today, _window(flow))
    except InvalidAnswer as error:
        if _is_euro_amount(typed):
            flow.snapshot.conversion = None
            return None
        lead = flow.catalog.text(error.key, **{"value": typed[:60], **error.params})
        return Outcome([_ask_date(flow, lead)])
    return ask_next(flow, question, pending)


def waiting_prompt(flow: FlowView, lead: str = "") -> Outcome | None:
    """Ask again what a waiting conversion needs (the conversation resumed); None if none waits.

    The amount's own question would be answered by what the conversion asks (its date).
    """
    pending = flow.snapshot.conversion
    if pending is None:
        return None
    asked = ask_next(flow, QUESTIONS[QUESTION_ID], pending)
    return Outcome([Reply(lead), *asked.replies]) if lead else asked


def pressed(flow: FlowView, payload: Payload) -> Outcome:
    """Apply ``conv:ok``, ``conv:fix`` or ``conv:cur:<code>``."""
    pending = flow.snapshot.conversion
    if pending is None or flow.snapshot.state != QUESTION_ID:
        return flow.stale()
    question = QUESTIONS[QUESTION_ID]
    if payload.first == "cur" and payload.second in pending.candidates:
        pending.currency, pending.candidates = payload.second, []
        return ask_next(flow, question, pending)
    if payload.first == "fix":
        flow.snapshot.conversion = None
        return flow.prompt(flow.catalog.text("receipts.ask.again"))
    if payload.first == "ok" and pending.proposed is not None:
        return _confirm(flow, question, pending.proposed)
    return flow.stale()


def _confirm(flow: FlowView, question: Question, proposed: ForeignAmount) -> Outcome:
    flow.snapshot.conversion = None
    # Kept before the euros: ``ClaimDraft.conversion`` holds it while the euros match it.
    flow.draft.amount_foreign = proposed
    return answers.store(flow, question, proposed.eur)


def ask_next(flow: FlowView, question: Question, pending: PendingConversion) -> Outcome:
    """Ask what the conversion still needs, or show it for confirmation."""
    catalog = flow.catalog
    if pending.candidates:
        buttons = tuple(Button(payloads.conversion("cur", code), code)
                        for code in pending.candidates)
        text = catalog.text("receipts.ask.currency", amount=format_money(pending.amount))
        return Outcome([Reply(text, buttons)])
    rates = default_rates()
    if not rates.publishes(pending.currency):
        return _refuse(flow, question, "receipts.rate.not_convertible", pending.currency)
    if pending.paid_on is None:
        return Outcome([_ask_date(flow)])
    converted = rates.to_euros(pending.amount, pending.currency, pending.paid_on)
    if not isinstance(converted, Conversion):
        return _refuse(flow, question, "receipts.rate.no_rate", pending.currency)
    pending.proposed = ForeignAmount(
        amount=pending.amount, currency=pending.currency, paid_on=pending.paid_on,
        rate=converted.rate, rate_date=converted.rate_date, eur=converted.eur)
    return Outcome([_proposal(flow, pending.proposed, converted)])


def _proposal(flow: FlowView, proposed: ForeignAmount, converted: Conversion) -> Reply:
    catalog = flow.catalog
    buttons = (Button(payloads.conversion("ok"), catalog.text("button.conversion_ok")),
               Button(payloads.conversion("fix"), catalog.text("button.conversion_fix")))
    if converted.currency == EURO:  # receipts in euros: no rate to tell
        euros = format_money(converted.eur, cents=True)
        return Reply(catalog.text("receipts.conversion.euros", eur=euros), buttons)
    rate = catalog.text(f"receipts.rate.{converted.rule}", date=format_date(proposed.paid_on),
                        rate_date=format_date(converted.rate_date),
                        rate=format_money(converted.rate), currency=converted.currency,
                        eur=format_money(converted.eur, cents=True))
    paid = catalog.text("receipts.conversion.typed", amount=format_money(proposed.amount),
                        currency=proposed.currency, date=format_date(proposed.paid_on))
    shown = flow.snapshot.shown_rules
    bank = "" if _BANK_RULE in shown else catalog.text("receipts.rate.bank_statement")
    if bank:
        shown.append(_BANK_RULE)
    return Reply(join("\n\n", [f"{paid} {rate}", bank]), buttons)


def _refuse(flow: FlowView, question: Question, key: str, currency: str) -> Outcome:
    flow.snapshot.conversion = None
    return Outcome([answers.retry(flow, question, flow.catalog.text(key, currency=currency))])


def _ask_date(flow: FlowView, lead: str = "") -> Reply:
    fix = Button(payloads.conversion("fix"), flow.catalog.text("button.conversion_fix"))
    return Reply(join("\n\n", [lead, flow.catalog.text("receipts.ask.paid_on")]), (fix,))


def _window(flow: FlowView) -> DateWindow:
    return date_window("paid_on", flow.draft, flow.today)


def _is_euro_amount(typed: str) -> bool:
    try:
        parse_amount(typed)
    except InvalidAnswer:
        return False
    return True
