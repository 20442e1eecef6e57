"""The one state machine of the conversation, written as data and built once.

States are the question ids in form order, framed by the welcome, the documents step, the
recap and the two certifications. ``next`` and ``back`` are generated: from each state, one
guarded transition per later (or earlier) state, tried in order, so a question that does not
apply is skipped. ``block``, ``cancel`` and ``restart`` go from anywhere; editing from the recap
uses the machine's ``to_<state>`` transitions.
"""

from __future__ import annotations

from typing import Any, Protocol

from transitions import Machine

from states import step_care, step_documents, step_personal, step_stay, step_summary
from states.questions import Question, Step

STEPS: tuple[Step, ...] = (
    step_personal.STEP, step_care.STEP, step_stay.STEP, step_documents.STEP, step_summary.STEP,
)
QUESTIONS: dict[str, Question] = {q.id: q for step in STEPS for q in step.questions}
WELCOME, DOCUMENTS, SUMMARY = "welcome", "documents", "summary"
CERTIFY_ORIGINALS, CERTIFY_ACCURACY, DONE = "certify.originals", "certify.accuracy", "done"
BLOCKED, CANCELLED = "blocked", "cancelled"
SEQUENCE: tuple[str, ...] = (
    WELCOME, *QUESTIONS, DOCUMENTS, SUMMARY, CERTIFY_ORIGINALS, CERTIFY_ACCURACY, DONE,
)
STATES: tuple[str, ...] = (*SEQUENCE, BLOCKED, CANCELLED)


def step_of(state: str) -> Step | None:
    """Return the form step a state belongs to (None for the welcome and end states)."""
    if state in QUESTIONS:
        return next(step for step in STEPS if QUESTIONS[state] in step.questions)
    if state == DOCUMENTS:
        return step_documents.STEP
    if state in (SUMMARY, CERTIFY_ORIGINALS, CERTIFY_ACCURACY):
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


class _Visit:
    """Guard of a ``next`` transition: stop at ``dest`` if the model wants it asked."""

    def __init__(self, dest: str) -> None:
        self.dest = dest

    def __call__(self, model: Navigable) -> bool:
        return model.should_visit(self.dest)


class _Return:
    """Guard of a ``back`` transition: stop at ``dest`` if it applies to this claim."""

    def __init__(self, dest: str) -> None:
        self.dest = dest

    def __call__(self, model: Navigable) -> bool:
        return model.can_return_to(self.dest)


def _transitions() -> list[dict[str, Any]]:
    transitions: list[dict[str, Any]] = []
    for index, source in enumerate(SEQUENCE[:-1]):
        for dest in SEQUENCE[index + 1 :]:
            transitions.append(
                {"trigger": "next", "source": source, "dest": dest, "conditions": [_Visit(dest)]}
            )
    # The welcome and the end are not places to go back to.
    for index, source in enumerate(SEQUENCE[:-1]):
        for dest in reversed(SEQUENCE[1:index]):
            transitions.append(
                {"trigger": "back", "source": source, "dest": dest,
                 "conditions": [_Return(dest)]}
            )
    transitions += [
        {"trigger": "block", "source": "*", "dest": BLOCKED},
        {"trigger": "cancel", "source": "*", "dest": CANCELLED},
        {"trigger": "restart", "source": "*", "dest": WELCOME},
    ]
    return transitions


MACHINE_CONFIG: dict[str, Any] = {
    "states": list(STATES),
    "transitions": _transitions(),
    "initial": WELCOME,
    "auto_transitions": True,
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
        MACHINE.add_model(self, initial=WELCOME)

    def should_visit(self, state: str) -> bool:
        return self.target is not None and self.target.should_visit(state)

    def can_return_to(self, state: str) -> bool:
        return self.target is not None and self.target.can_return_to(state)


_CURSORS: list[_Cursor] = []


def move(state: str, trigger: str, model: Navigable) -> str | None:
    """Fire ``trigger`` from ``state`` with ``model``'s guards; return the new state or None."""
    cursor = _CURSORS.pop() if _CURSORS else _Cursor()
    try:
        cursor.target = model
        MACHINE.set_state(state, model=cursor)
        moved = cursor.trigger(trigger, cursor)  # type: ignore[attr-defined]
        return cursor.state if moved else None
    finally:
        cursor.target = None
        _CURSORS.append(cursor)
