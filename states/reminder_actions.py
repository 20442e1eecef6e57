"""What reminders say, what their buttons do (``rem:<action>:<claim>``), and ``/rappels``.

Every reminder offers « Ne plus me rappeler »; ``/rappels`` shows what is planned and sent,
and turns reminders off or on again. Only flags of the snapshot change here; a claim begun
from a reminder goes through the machine's triggers (``states.moves``).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.dates import format_date
from bot.domain.io import Button, Reply
from bot.domain.phrases import join
from bot.domain.reminders import Answer, Kind, Reminder, Status
from states import moves, payloads
from states.events import Outcome
from states.machine import BLOCKED, DONE, SUMMARY
from states.payloads import Payload
from states.reminders import next_claim_day, plan, report_deadline, zones
from states.snapshot import Status as ClaimStatus
from states.view import FlowView

_SHOWN_SENT = 5
"""``/rappels`` lists the latest reminders sent, not all of them."""


def _button(flow: FlowView, action: str, claim_no: int) -> Button:
    return Button(payloads.reminder(action, claim_no),
                  flow.catalog.text(f"button.reminder_{action}"))


def _beneficiary(flow: FlowView, claim_no: int) -> str:
    if claim_no == flow.snapshot.claim_no:
        name = flow.draft.beneficiary_name
    else:
        name = next((c.beneficiary for c in flow.claims if c.claim_no == claim_no), None)
    return name or "—"


def _params(flow: FlowView, reminder: Reminder) -> dict[str, object]:
    params: dict[str, object] = {"reference": flow.reference(reminder.claim_no)}
    if reminder.kind is Kind.UNFINISHED:
        params["where"] = moves.where(flow)
    elif reminder.kind is Kind.ACCIDENT_REPORT and flow.draft.accident_date:
        params["accident"] = format_date(flow.draft.accident_date)
        params["deadline"] = format_date(report_deadline(flow.draft.accident_date))
    elif reminder.kind is Kind.FOLLOW_UP:
        params["beneficiary"] = _beneficiary(flow, reminder.claim_no)
    return params


def message(flow: FlowView, reminder: Reminder) -> Reply:
    """Return the message of a due reminder, with its buttons (``Plus tard`` if one follows)."""
    rule = flow.reminders.policy.rule(reminder.kind)
    last = reminder.seq >= rule.at_most
    key = f"reminder.{reminder.kind}.{'last' if last and rule.at_most > 1 else 'text'}"
    buttons = tuple(_button(flow, action, reminder.claim_no) for action in rule.buttons
                    if not (action == "later" and last))
    return Reply(flow.catalog.text(key, **_params(flow, reminder)), buttons)


def _line(flow: FlowView, reminder: Reminder) -> str:
    catalog, zone = flow.catalog, zones(flow)[0]
    moment = (reminder.sent_at or reminder.due_at).astimezone(zone)
    what = catalog.text(f"reminder.{reminder.kind}.what", **_params(flow, reminder))
    return catalog.text("reminders.line", date=moment.strftime("%d/%m/%Y"),
                        time=moment.strftime("%H:%M"), what=what)


def listing(flow: FlowView) -> Reply:
    """Return what ``/rappels`` shows: planned, sent lately, on or off, and the switch."""
    catalog, snapshot = flow.catalog, flow.snapshot
    planned = sorted(plan(flow), key=lambda r: r.due_at)
    sent = sorted((r for r in flow.reminders.stored if r.status is Status.SENT),
                  key=lambda r: r.sent_at or r.due_at)[-_SHOWN_SENT:]
    lines = [catalog.text("reminders.title")]
    lines += ([catalog.text("reminders.planned"), *(_line(flow, r) for r in planned)]
              if planned else [catalog.text("reminders.none")])
    if sent:
        lines += [catalog.text("reminders.sent"), *(_line(flow, r) for r in sent)]
    zone = catalog.text("reminders.zone_france" if zones(flow)[0].key == "Europe/Paris"
                        else "reminders.zone_local")
    if snapshot.reminders_off:
        lines.append(catalog.text("reminders.off"))
    else:
        start, _, end = str(flow.reminders.policy.hours).partition("-")
        lines.append(catalog.text("reminders.on", start=start, end=end, zone=zone))
    switch = _button(flow, "on" if snapshot.reminders_off else "off", snapshot.claim_no)
    return Reply(join("\n", lines), (switch,))


def show(flow: FlowView, _: str) -> Outcome:
    """``/rappels``: the reminders, then where the conversation stands."""
    return Outcome([listing(flow), *flow.prompt().replies])


def family_button(flow: FlowView) -> Button | None:
    """Return « Me le rappeler » for a ready claim when the next must wait (LIM-01)."""
    snapshot = flow.snapshot
    day = next_claim_day(flow)
    if snapshot.reminders_off or snapshot.family_reminder or day is None or day <= flow.today:
        return None
    return _button(flow, "family", snapshot.claim_no)


def _resume(flow: FlowView, _: int) -> Outcome:
    return flow.prompt()


def _later(flow: FlowView, claim_no: int) -> Outcome:
    snapshot = flow.snapshot
    if claim_no != snapshot.claim_no or snapshot.status is not ClaimStatus.IN_PROGRESS:
        return flow.stale()
    again = any(reminder.kind is Kind.UNFINISHED for reminder in plan(flow))
    return Outcome([Reply(flow.catalog.text(
        "reminder.unfinished.later" if again else "reminder.unfinished.later_none"))])


def _switch(on: bool) -> Callable[[FlowView, int], Outcome]:
    def switch(flow: FlowView, _: int) -> Outcome:
        flow.snapshot.reminders_off = not on
        if on:
            return Outcome([Reply(flow.catalog.text("reminders.started")), listing(flow)])
        return Outcome([Reply(flow.catalog.text("reminders.stopped"))])
    return switch


def _not_yet(flow: FlowView) -> Outcome | None:
    day = next_claim_day(flow)
    if day is None or day <= flow.today:
        return None
    return flow.prompt(flow.catalog.text("reminder.next_family.not_yet", date=format_date(day)))


def _start(flow: FlowView, claim_no: int) -> Outcome:
    """« Commencer »: the next family member's claim, the stay already filled (LIM-02)."""
    snapshot = flow.snapshot
    if claim_no != snapshot.claim_no or snapshot.state not in (BLOCKED, DONE):
        return flow.stale()
    if (waiting := _not_yet(flow)) is not None:
        return waiting
    if snapshot.state == DONE:
        return moves.new_claim(flow, moves.FAMILY_FIELDS)
    if snapshot.blocked is None or snapshot.blocked.rule_id != "LIM-01":
        return flow.stale()
    # The claim LIM-01 stopped already holds the person and the stay: on to what is missing.
    return moves.edit(flow, moves.first_missing(flow) or SUMMARY)


def _family(flow: FlowView, claim_no: int) -> Outcome:
    day = next_claim_day(flow)
    if claim_no != flow.snapshot.claim_no or flow.snapshot.state != DONE or day is None:
        return flow.stale()
    flow.snapshot.family_reminder = True
    return Outcome([Reply(flow.catalog.text("reminders.family_noted", date=format_date(day)))])


def _ready_claims(flow: FlowView) -> set[int]:
    ready = {c.claim_no for c in flow.claims if c.status == ClaimStatus.READY}
    if flow.snapshot.status is ClaimStatus.READY:
        ready.add(flow.snapshot.claim_no)
    return ready


def _answer(answer: Answer) -> Callable[[FlowView, int], Outcome]:
    """An answer to « Avez-vous reçu le remboursement ? »: the next step, and it is recorded."""
    def answered(flow: FlowView, claim_no: int) -> Outcome:
        if claim_no not in _ready_claims(flow):
            return flow.stale()
        text = flow.catalog.text(f"reminder.follow_up.{answer}")
        return Outcome([Reply(text)], follow_up=(claim_no, answer))
    return answered


_ACTIONS: dict[str, Callable[[FlowView, int], Outcome]] = {
    "resume": _resume,
    "later": _later,
    "stop": _switch(on=False),
    "off": _switch(on=False),
    "on": _switch(on=True),
    "start": _start,
    "family": _family,
    **{answer.value: _answer(answer) for answer in Answer},
}


def pressed(flow: FlowView, payload: Payload) -> Outcome:
    """Apply a reminder's button (``rem:<action>:<claim number>``)."""
    action = _ACTIONS.get(payload.first)
    if action is None or not payload.second.isdigit() or len(payload.second) > 6:
        return flow.stale()
    return action(flow, int(payload.second))
