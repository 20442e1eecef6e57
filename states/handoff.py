"""A person in the conversation: the traveller asks for one, advisers answer, the bot resumes.

``/conseiller`` (typed « parler à un conseiller », or the button of a block and of « Aide »)
fires ``hand_off``: the bot says who answers and when, and keeps where the claim was. While
the conversation is in ``HANDOFF``, what the traveller writes or presses goes to the person
and the bot says nothing; files are still converted and filed, and a few acts still work
(sorting a file, erasing, going back to the assistant). Advisers act through ``act``: take,
reply (labelled as a person, never as the bot), move it in the queue, hand back (``hand_back``
to the state it came from, and the bot says so). ``Overdue`` tells a traveller nobody
answered in time, and gives the phone line (AFT-04).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.domain.intents import intent_of
from bot.domain.io import Command, Edit, Press, Reply, Text
from bot.domain.opening_hours import AdviserDesk
from bot.domain.phrases import join
from states import moves, payloads
from states.events import (
    AgentInput,
    AgentReply,
    FlowInput,
    HandBack,
    Outcome,
    Overdue,
    SetQueue,
    Take,
)
from states.machine import HANDOFF
from states.prompts import nav
from states.snapshot import Handoff, Queue
from states.view import FlowView, Screen

KEPT_COMMANDS = frozenset({"person", "assistant", "delete"})
"""Commands the bot still answers while a person handles the conversation."""
KEPT_BUTTONS = frozenset({"person", "handback", "erase_yes", "resume"})
"""``nav:`` buttons the bot still answers then (sorting a file, ``cat:``, is kept too)."""
USER = "user"
"""``Handoff.resolved_by`` when the traveller went back to the assistant themselves."""
AGENT_KEYS = ("handoff.agent_message", "handoff.agent_file")
"""The texts an adviser's message is sent as: the transcript shows their author."""


def for_the_person(event: FlowInput) -> bool:
    """Tell whether an input during a hand-off is for the person (the bot stays quiet)."""
    match event:
        case Command(name=name):
            return name not in KEPT_COMMANDS
        case Text(text=text) | Edit(text=text):
            return intent_of(text, "commands") not in KEPT_COMMANDS
        case Press(payload=payload):
            pressed = payloads.parse(payload)
            if pressed is not None and pressed.kind is payloads.Kind.CATEGORY:
                return False
            return not (pressed and pressed.kind is payloads.Kind.NAV
                        and pressed.first in KEPT_BUTTONS)
    return False


def forwarded(flow: FlowView, event: FlowInput | None = None) -> Outcome:
    """Leave a message for the person: stored with the turn, shown in the console.

    The bot says nothing, but to a command (``/recap``…): it reminds that a person answers,
    and how to go back to the assistant.
    """
    if flow.snapshot.handoff is not None:
        flow.snapshot.handoff.user_wrote()
    return flow.prompt() if isinstance(event, Command) else Outcome()


def _when(flow: FlowView) -> str:
    """Say when an adviser answers: soon if they are at work, else at the next opening."""
    desk, catalog = flow.desk, flow.catalog
    if desk.hours.is_open(flow.now):
        minutes = int(desk.answer_within.total_seconds() // 60)
        return catalog.text("handoff.when_open", minutes=minutes)
    return catalog.text("handoff.when_closed", when=desk.hours.when(flow.now, catalog))


def _promise(flow: FlowView, where: str, key: str) -> Reply:
    catalog = flow.catalog
    text = join("\n\n", (
        catalog.text(key), _when(flow),
        catalog.text("handoff.hours", hours=flow.desk.hours.describe(catalog)),
        catalog.text("handoff.kept", where=where),
    ))
    return Reply(text, (nav(catalog, "handback"),))


def ask(flow: FlowView, _: str = "") -> Outcome:
    """Give the conversation to a person (``/conseiller``): say who answers and when."""
    snapshot = flow.snapshot
    if snapshot.state == HANDOFF and snapshot.handoff is not None:
        where = moves.where_state(flow, snapshot.handoff.resume)
        return Outcome([_promise(flow, where, "handoff.asked_again")])
    where = moves.where(flow)
    snapshot.handoff = Handoff(resume=snapshot.state, asked_at=flow.now)
    flow.fire("hand_off")
    return Outcome([_promise(flow, where, "handoff.asked")], events=[("handoff", "asked")])


def offer(flow: FlowView, outcome: Outcome) -> Outcome:
    """Add « Parler à un conseiller » to the last message of ``outcome`` (« Aide »)."""
    if flow.snapshot.state == HANDOFF or not outcome.replies:
        return outcome
    last = outcome.replies[-1]
    button = nav(flow.catalog, "person")
    outcome.replies[-1] = replace(last, buttons=(*last.buttons, button))
    return outcome


def _hand_back(flow: FlowView, by: str, lead_key: str) -> Outcome:
    handoff = flow.snapshot.handoff
    if flow.snapshot.state != HANDOFF or handoff is None:
        return Outcome(declined=True)
    handoff.resolve(by)
    flow.fire("hand_back", handoff.resume)
    outcome = flow.prompt(flow.catalog.text(lead_key))
    outcome.events.append(("handoff", "returned"))
    return outcome


def back_to_assistant(flow: FlowView, _: str = "") -> Outcome:
    """The traveller goes back to the assistant themselves (« Continuer avec l'assistant »)."""
    if flow.snapshot.state != HANDOFF:
        return flow.prompt()
    return _hand_back(flow, USER, "handoff.back_by_user")


def _take(flow: FlowView, agent: str) -> Outcome:
    snapshot = flow.snapshot
    if snapshot.state != HANDOFF:  # stepping in: nobody asked, the adviser starts it
        snapshot.handoff = Handoff(resume=snapshot.state, asked_at=flow.now)
        flow.fire("hand_off")
    if snapshot.handoff is None or (snapshot.handoff.queue is Queue.TAKEN
                                    and snapshot.handoff.agent == agent):
        return Outcome(declined=True)
    snapshot.handoff.take(agent)
    return Outcome(events=[("handoff", "taken")])


def _reply(flow: FlowView, event: AgentReply) -> Outcome:
    handoff = flow.snapshot.handoff
    if flow.snapshot.state != HANDOFF or handoff is None or not (event.text or event.attachment):
        return Outcome(declined=True)
    handoff.answered(event.agent, flow.now)
    catalog = flow.catalog
    # ``agent`` is kept with the text for colleagues (the console); the traveller sees none.
    text = (catalog.text("handoff.agent_message", text=event.text, agent=event.agent)
            if event.text else catalog.text("handoff.agent_file", agent=event.agent))
    files = (event.attachment,) if event.attachment else ()
    return Outcome([Reply(text, attachments=files, person=True)],
                   events=[("handoff", "answered")])


def _set_queue(flow: FlowView, event: SetQueue) -> Outcome:
    handoff = flow.snapshot.handoff
    if flow.snapshot.state != HANDOFF or handoff is None or handoff.queue is event.queue:
        return Outcome(declined=True)
    match event.queue:
        case Queue.RESOLVED:
            return _hand_back(flow, event.agent, "handoff.back")
        case Queue.WAITING:
            handoff.release()
        case Queue.TAKEN:
            handoff.take(event.agent)
        case Queue.AWAITING_USER:
            handoff.wait_for_user(event.agent)
    return Outcome(events=[("handoff", event.queue.value)])


def answer_late(handoff: Handoff, desk: AdviserDesk, now: datetime) -> bool:
    """Tell whether the traveller still waits for a first answer past the set time (not told)."""
    return (handoff.answered_at is None and not handoff.overdue_told
            and now >= desk.answer_due(handoff.asked_at))


def _overdue(flow: FlowView) -> Outcome:
    handoff = flow.snapshot.handoff
    if (flow.snapshot.state != HANDOFF or handoff is None
            or not answer_late(handoff, flow.desk, flow.now)):
        return Outcome(declined=True)
    handoff.overdue_told = True
    catalog = flow.catalog
    text = join("\n\n", (catalog.text("handoff.overdue"), catalog.text("handoff.phone")))
    return Outcome([Reply(text, (nav(catalog, "handback"),))], events=[("handoff", "overdue")])


def act(flow: FlowView, event: AgentInput) -> Outcome:
    """Apply an adviser's act (or the watch's); ``declined`` when it does not apply."""
    match event:
        case Take(agent=agent):
            return _take(flow, agent)
        case AgentReply():
            return _reply(flow, event)
        case SetQueue():
            return _set_queue(flow, event)
        case HandBack(agent=agent):
            return _hand_back(flow, agent, "handoff.back")
        case Overdue():
            return _overdue(flow)


def _prompt(flow: FlowView, lead: str) -> Outcome:
    """Say only ``lead`` (a file sorted…); else remind that a person answers here."""
    if lead:
        return Outcome([Reply(lead)])
    catalog = flow.catalog
    return Outcome([Reply(catalog.text("handoff.reminder"), (nav(catalog, "handback"),))])


SCREEN = Screen(state=HANDOFF, prompt=_prompt, on_text=lambda flow, _: forwarded(flow),
                actions={"handback": back_to_assistant})
