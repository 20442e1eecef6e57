"""When the bot writes first (issue 16): the reminders a conversation keeps planned.

``plan`` reads the conversation (its snapshot, today, the claims made, the reminders already
sent) through the rules of ``config/reminders.toml``: what starts each kind (``WHEN``), the
instant it counts from (``FROM``), how long after, how many at most. Each due time is then
moved into the decent hours of the user's local time (``zones``). Planned again after every
turn, a reminder follows its claim: the user's return moves the nudge on, finishing or
cancelling drops it. Nothing here sends anything: ``bot.reminders`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.checks import next_claim_date
from bot.domain.eligibility import PastClaim
from bot.domain.local_time import PARIS, country_zones, decent, local_day, start_of_day
from bot.domain.reminders import Reminder, ReminderPolicy, ReminderRule, Status
from states.machine import BLOCKED, DONE, HANDOFF, WELCOME
from states.moves import ENDED
from states.snapshot import Status as ClaimStatus
from states.view import FlowView

REPORT_DAYS = timedelta(days=15)
"""DOC-08: a third-party accident is told to the caisse within 15 days of the injury."""
THIRD_PARTY = "accident_tiers"
"""The ``care_link`` choice of an accident caused by a third party (DOC-08)."""


@dataclass(frozen=True)
class Anchor:
    """The instant a reminder counts from, and the last local day it may come (if any)."""

    at: datetime
    until: date | None = None


def zones(flow: FlowView) -> tuple[ZoneInfo, ...]:
    """Return the user's zones: the country of stay's while the stay goes on, else France."""
    draft, today = flow.draft, flow.today
    start, end = draft.stay_start, draft.stay_end
    ongoing = start is not None and start <= today and (end is None or today <= end)
    found = country_zones(draft.country) if ongoing and draft.country else ()
    return found or (PARIS,)


def next_claim_day(flow: FlowView) -> date | None:
    """Return the first day LIM-01 allows the chat's next claim (None: today already)."""
    snapshot = flow.snapshot
    history = list(flow.history)
    if snapshot.status is ClaimStatus.READY and snapshot.ready_on:  # sent: it counts
        history.append(PastClaim(snapshot.ready_on, snapshot.draft.beneficiary_name))
    return next_claim_date(flow.today, history)


def report_deadline(accident: date) -> date:
    """Return the last day to tell the caisse of a third-party accident (DOC-08)."""
    return accident + REPORT_DAYS


def _in_progress(flow: FlowView) -> bool:
    """Begun and neither sent, stopped nor cancelled; not while an adviser has the chat."""
    snapshot = flow.snapshot
    return (snapshot.status is ClaimStatus.IN_PROGRESS and snapshot.accepted_privacy
            and snapshot.state not in (*ENDED, WELCOME, HANDOFF))


def _next_claim_waits(flow: FlowView) -> bool:
    snapshot = flow.snapshot
    state = snapshot.claim_state  # a hand-off keeps it: the claim waits all the same
    if state == BLOCKED:
        return snapshot.blocked is not None and snapshot.blocked.rule_id == "LIM-01"
    return state == DONE and snapshot.family_reminder


def _third_party_accident(flow: FlowView) -> bool:
    draft, snapshot = flow.draft, flow.snapshot
    return (draft.care_link == THIRD_PARTY and draft.accident_date is not None
            and snapshot.accepted_privacy and snapshot.status is not ClaimStatus.ABANDONED
            and flow.today <= report_deadline(draft.accident_date))


WHEN: dict[str, Callable[[FlowView], bool]] = {
    "claim_in_progress": _in_progress,
    "next_claim_waits": _next_claim_waits,
    "third_party_accident": _third_party_accident,
    "claim_ready": lambda flow: flow.snapshot.status is ClaimStatus.READY,
}
"""What starts each kind (``when`` in ``config/reminders.toml``)."""


def _midnight(flow: FlowView, day: date) -> datetime:
    return start_of_day(day, zones(flow)[0])


def _next_claim(flow: FlowView) -> Anchor:
    day = next_claim_day(flow)
    return Anchor(flow.now if day is None else _midnight(flow, day))


def _report(flow: FlowView) -> Anchor | None:
    accident = flow.draft.accident_date
    if accident is None:
        return None
    deadline = report_deadline(accident)
    return Anchor(_midnight(flow, deadline), until=deadline)


def _ready(flow: FlowView) -> Anchor | None:
    snapshot = flow.snapshot
    if snapshot.ready_at is not None:
        return Anchor(snapshot.ready_at)
    return Anchor(_midnight(flow, snapshot.ready_on)) if snapshot.ready_on else None


FROM: dict[str, Callable[[FlowView], Anchor | None]] = {
    "last_message": lambda flow: Anchor(flow.now),  # planned after each of the user's turns
    "next_claim_day": _next_claim,
    "report_deadline": _report,
    "claim_ready": _ready,
}
"""The instant each kind counts from (``from`` in ``config/reminders.toml``)."""


def check_policy(policy: ReminderPolicy) -> None:
    """Refuse a rules file naming a condition or an instant this module does not know."""
    unknown = [name for rule in policy.reminder
               for name, table in ((rule.when, WHEN), (rule.start, FROM)) if name not in table]
    if unknown:
        raise ValueError(f"config/reminders.toml names unknown conditions: {unknown}")


def plan(flow: FlowView) -> list[Reminder]:
    """Return every reminder the chat should have planned now (none while they are off).

    Of an earlier claim, only the planned reminders of ``kept`` kinds stay (its follow-up).
    """
    context, snapshot = flow.reminders, flow.snapshot
    if snapshot.reminders_off:
        return []
    policy = context.policy
    kept = [r for r in context.stored if r.status is Status.PLANNED
            and r.claim_no != snapshot.claim_no and policy.rule(r.kind).kept]
    return kept + [reminder for rule in policy.reminder if WHEN[rule.when](flow)
                   for reminder in _chain(flow, rule)]


def _chain(flow: FlowView, rule: ReminderRule) -> list[Reminder]:
    """Return the claim's reminders of one kind still to come, each at a decent hour."""
    anchor = FROM[rule.start](flow)
    if anchor is None:
        return []
    claim_no = flow.snapshot.claim_no
    done = [r for r in flow.reminders.stored if r.kind is rule.kind and r.claim_no == claim_no
            and r.status is not Status.PLANNED]
    previous = max((r.sent_at or r.due_at for r in done), default=None)
    where, hours = zones(flow), flow.reminders.policy.hours
    chain: list[Reminder] = []
    for seq in range(len(done) + 1, rule.at_most + 1):
        due = max(anchor.at + rule.after, flow.now + rule.soonest)
        if previous is not None and rule.again is not None:
            due = max(due, previous + rule.again)
        due = decent(due, where, hours)
        if anchor.until is not None and local_day(due, where[0]) > anchor.until:
            break
        chain.append(Reminder(rule.kind, claim_no, seq, due))
        previous = due
    return chain


def decent_now(flow: FlowView) -> datetime:
    """Return now if it is a decent hour for the user, else the next one (at send time)."""
    return decent(flow.now, zones(flow), flow.reminders.policy.hours)
