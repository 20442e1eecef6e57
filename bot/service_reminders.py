"""What a turn records of reminders, and what becomes of a due one (issue 16).

After each turn the service keeps planned what ``states.reminders.plan`` says; when one is
due, ``send_due`` decides, the chat held as for a turn: dropped if the conversation no
longer wants it, moved to the morning if it is night for the user, else marked sent and its
message posted to the outbox in one transaction (once, whichever worker).
"""

from __future__ import annotations

from bot.domain.reminders import Reminder, Status
from bot.domain.reply_json import replies_to_json
from bot.storage.repository import ClaimRepository, instant
from states.events import Outcome
from states.flow import ClaimFlow
from states.reminder_actions import message
from states.reminders import decent_now, plan
from states.snapshot import FlowSnapshot


def _planned(reminders: tuple[Reminder, ...] | list[Reminder]) -> set[tuple[object, ...]]:
    return {(*r.key, instant(r.due_at)) for r in reminders if r.status is Status.PLANNED}


def planned_change(flow: ClaimFlow) -> tuple[Reminder, ...] | None:
    """Return the reminders to keep planned after the turn; None when they stay as stored."""
    planned = tuple(plan(flow))
    return None if _planned(planned) == _planned(flow.reminders.stored) else planned


def reminder_events(off_before: bool | None, snapshot: FlowSnapshot,
                    outcome: Outcome) -> list[tuple[str, str]]:
    """Return the events of the turn's reminder choices: off or on, a follow-up's answer."""
    events: list[tuple[str, str]] = []
    if off_before is not None and off_before != snapshot.reminders_off:
        events.append(("reminders", "off" if snapshot.reminders_off else "on"))
    if outcome.follow_up is not None:
        claim_no, answer = outcome.follow_up
        events.append(("follow_up", f"{claim_no} {answer.value}"))
    return events


async def send_due(repository: ClaimRepository, flow: ClaimFlow, reminder: Reminder) -> bool:
    """Send a due reminder if it still applies and it is day for the user; tell if sent."""
    if reminder.key not in {r.key for r in plan(flow)}:  # the claim moved on meanwhile
        await repository.cancel_reminder(reminder)
        return False
    morning = decent_now(flow)  # the stay may have begun or ended since it was planned
    if morning > flow.now:
        await repository.postpone_reminder(reminder, morning)
        return False
    replies = replies_to_json([message(flow, reminder)])
    return await repository.send_reminder(reminder, flow.now, replies)  # False: sent elsewhere
