"""What a turn records besides the snapshot and its replies: the console's columns, the trace."""

from __future__ import annotations

from bot.storage.repository import ConsoleColumns
from states.machine import Move, step_of
from states.snapshot import FlowSnapshot


def rules_met(snapshot: FlowSnapshot) -> tuple[str, ...]:
    """Return the rule ids a conversation met: those shown, and the one that blocked it."""
    blocked = (snapshot.blocked.rule_id,) if snapshot.blocked else ()
    return tuple(dict.fromkeys((*snapshot.shown_rules, *blocked)))


def console_columns(
    snapshot: FlowSnapshot, rules_before: tuple[str, ...] | None
) -> ConsoleColumns:
    """Return the console's columns; the rules only when the turn changed them."""
    step = step_of(snapshot.claim_state)  # during a hand-off, where the claim stays
    rules = rules_met(snapshot)
    draft = snapshot.draft
    return ConsoleColumns(
        claim_no=snapshot.claim_no, step=step.number if step else None,
        beneficiary=draft.beneficiary_name, country=draft.country,
        blocked_rule=snapshot.blocked.rule_id if snapshot.blocked else None,
        rules=None if rules == rules_before else rules,
    )


def trace_events(moves: list[Move]) -> list[tuple[str, str]]:
    """Return the moves the operator trace shows: a new step, and every named trigger.

    Moving from question to question within a step is in the transcript already.
    """
    return [("move", f"{m.trigger} {m.source} {m.dest}") for m in moves
            if m.trigger not in ("next", "back") or step_of(m.source) is not step_of(m.dest)]
