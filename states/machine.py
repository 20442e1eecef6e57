"""The one state machine of the conversation, written as data and built once.

States are the question ids in form order, framed by the welcome, the documents step and
the recap (where both certification boxes are ticked, as on the form). ``next`` and
``back`` are generated: from each state, one guarded transition per later (or earlier)
state, tried in order, so a question that does not apply is skipped. The other moves are
named triggers: ``block`` (a BLOCK rule, from a question), ``cancel``, ``finish``
(validated, both boxes ticked), ``restart`` (a new claim) and ``edit`` (to the question,
document step or recap being changed). ``hand_off`` gives the conversation to a person from
any state, and ``hand_back`` returns it to the state it was in (``chosen``), where the bot
resumes. ``fire`` is the only code that changes a conversation's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from transitions import Machine

from states import step_care, step_documents, step_personal, step_stay, step_summary
from states.questions import Question, Step

STEPS: tuple[Step, ...] = (
    step_personal.STEP, step_care.STEP, step_stay.STEP, step_documents.STEP, step_summary.STEP,
)
QUESTIONS: dict[str, Question] = {q.id: q for step in STEPS for q in step.questions}
WELCOME, DOCUMENTS, SUMMARY = "welcome", "documents", "summary"
DONE, BLOCKED, CANCELLED = "done", "blocked", "cancelled"
HANDOFF = "handoff"
"""A person (an adviser) handles the conversation; the bot is quiet but for files."""
SEQUENCE: tuple[str, ...] = (WELCOME, *QUESTIONS, DOCUMENTS, SUMMARY, DONE)
BOT_STATES: tuple[str, ...] = (*SEQUENCE, BLOCKED, CANCELLED)
"""Where the bot leads the conversation: every state but ``HANDOFF``."""
STATES: tuple[str, ...] = (*BOT_STATES, HANDOFF)


def step_of(state: str) -> Step | None:
    """Return the form step a state belongs to (None for the welcome and end states)."""
    if state in QUESTIONS:
        return next(step for step in STEPS if QUESTIONS[state] in step.questions)
    if state == DOCUMENTS:
        return step_documents.STEP
    if state == SUMMARY:
        return step_summary.STEP
    return None


class Navigable(Protocol):
    """What the guards ask of the model."""

    def should_visit(self, state: str) -> bool:
        """Tell whether ``next`` may stop at ``state``."""
        ...

    def can_return_to(self, state: str) -> bool:
        """Tell whether ``back`` may stop at ``state``."""
        ...


class Stateful(Protocol):
    """What holds a conversation's state (``FlowSnapshot``)."""

    state: str


@dataclass(frozen=True)
class Move:
    """One transition that happened: for the operator trace."""

    trigger: str
    source: str
    dest: str


class _Visit:
    """Guard of a ``next`` transition: stop at ``dest`` if the model wants it asked."""

    def __init__(self, dest: str) -> None:
        self.dest = dest

    def __call__(self, cursor: _Cursor) -> bool:
        return cursor.target is not None and cursor.target.should_visit(self.dest)


class _Return:
    """Guard of a ``back`` transition: stop at ``dest`` if it applies to this claim."""

    def __init__(self, dest: str) -> None:
        self.dest = dest

    def __call__(self, cursor: _Cursor) -> bool:
        return cursor.target is not None and cursor.target.can_return_to(self.dest)


class _Chosen:
    """Guard of an ``edit`` transition: go to ``dest`` if it is the state asked for."""

    def __init__(self, dest: str) -> None:
        self.dest = dest

    def __call__(self, cursor: _Cursor) -> bool:
        return cursor.chosen == self.dest


# ``next`` walks the form up to the recap; ``finish`` alone reaches the end.
_CHAIN = SEQUENCE[:-1]
EDITABLE: tuple[str, ...] = (*QUESTIONS, DOCUMENTS, SUMMARY)
"""Where ``edit`` may go: a question, the documents step or the recap."""


def _transitions() -> list[dict[str, Any]]:
    transitions: list[dict[str, Any]] = []
    for index, source in enumerate(_CHAIN[:-1]):
        for dest in _CHAIN[index + 1 :]:
            transitions.append(
                {"trigger": "next", "source": source, "dest": dest, "conditions": [_Visit(dest)]}
            )
    # The welcome and the end are not places to go back to.
    for index, source in enumerate(_CHAIN):
        for dest in reversed(_CHAIN[1:index]):
            transitions.append(
                {"trigger": "back", "source": source, "dest": dest,
                 "conditions": [_Return(dest)]}
            )
    transitions += [
        {"trigger": "block", "source": list(QUESTIONS), "dest": BLOCKED},
        {"trigger": "cancel", "source": list(_CHAIN[1:]), "dest": CANCELLED},
        {"trigger": "finish", "source": SUMMARY, "dest": DONE},
        {"trigger": "restart", "source": "*", "dest": WELCOME},
    ]
    transitions += [
        {"trigger": "edit", "source": "*", "dest": dest, "conditions": [_Chosen(dest)]}
        for dest in EDITABLE
    ]
    # A person may step in anywhere; the bot takes over again where the conversation was.
    transitions.append({"trigger": "hand_off", "source": list(BOT_STATES), "dest": HANDOFF})
    transitions += [
        {"trigger": "hand_back", "source": HANDOFF, "dest": dest, "conditions": [_Chosen(dest)]}
        for dest in BOT_STATES
    ]
    return transitions


TRIGGERS = ("next", "back", "block", "cancel", "finish", "restart", "edit", "hand_off",
            "hand_back")
MACHINE_CONFIG: dict[str, Any] = {
    "states": list(STATES),
    "transitions": _transitions(),
    "initial": WELCOME,
    "auto_transitions": False,
    "ignore_invalid_triggers": True,
}

# One machine for every conversation (transitions FAQ: one static machine, many models).
MACHINE = Machine(model=None, **MACHINE_CONFIG)


class _Cursor:
    """A model registered once with the machine and lent to one conversation per move.

    Registering each conversation as a model on every turn costs more than the turn itself,
    so a few cursors are reused; the conversation's own state stays a plain string.
    """

    state: str

    def __init__(self) -> None:
        self.target: Navigable | None = None
        self.chosen: str | None = None
        MACHINE.add_model(self, initial=WELCOME)


_CURSORS: list[_Cursor] = []


def fire(
    record: Stateful, trigger: str, guards: Navigable, *, chosen: str | None = None
) -> Move | None:
    """Fire ``trigger`` on ``record``'s state with ``guards``; return the move, if any.

    ``chosen`` names the destination of ``edit`` and ``hand_back``. This is the only place a
    state is written.
    """
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}")
    cursor = _CURSORS.pop() if _CURSORS else _Cursor()
    source = record.state
    try:
        cursor.target, cursor.chosen = guards, chosen
        MACHINE.set_state(source, model=cursor)
        # The guards receive the cursor (the event's argument) and ask its target.
        moved = bool(cursor.trigger(trigger, cursor))  # type: ignore[attr-defined]  # added by Machine
        if not moved:
            return None
        record.state = cursor.state
        return Move(trigger, source, cursor.state)
    finally:
        cursor.target = cursor.chosen = None
        _CURSORS.append(cursor)


def move(state: str, trigger: str, guards: Navigable, *, chosen: str | None = None) -> str | None:
    """Tell where ``trigger`` would lead from ``state``, without changing anything."""

    found = fire(_Probe(state), trigger, guards, chosen=chosen)
    return found.dest if found else None


@dataclass
class _Probe:
    state: str
