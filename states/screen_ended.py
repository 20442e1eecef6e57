"""The claim's other ends: cancelled, or stopped by a BLOCK rule."""

from __future__ import annotations

from bot.domain.io import Button, Reply
from bot.domain.phrases import join
from states import moves, payloads
from states.events import Outcome
from states.machine import BLOCKED, CANCELLED
from states.prompts import nav
from states.view import FlowView, Screen


def _text_screen(state: str, *actions: str) -> Screen:
    """A screen showing ``state.<state>`` with ``actions``' buttons."""
    def prompt(flow: FlowView, lead: str) -> Outcome:
        catalog = flow.catalog
        text = join("\n\n", (lead, catalog.text(f"state.{state}")))
        return Outcome([Reply(text, tuple(nav(catalog, action) for action in actions))])
    return Screen(state=state, prompt=prompt)


def _blocked(flow: FlowView, lead: str) -> Outcome:
    snapshot = flow.snapshot
    catalog = flow.catalog
    if snapshot.blocked is None:
        return Outcome([Reply(catalog.text("blocked.generic"),
                              (nav(catalog, "person"), nav(catalog, "restart")))])
    rule_id = snapshot.blocked.rule_id
    found = [f for f in flow.evaluation().blocking() if f.rule_id == rule_id]
    text = f"⛔ {found[0].text}" if found else catalog.text("blocked.generic")
    buttons = (Button(payloads.why([rule_id]), catalog.text("button.why")),
               nav(catalog, "unblock"), nav(catalog, "person"), nav(catalog, "restart"))
    return Outcome([Reply(join("\n\n", (lead, text)), buttons)])


def _unblock(flow: FlowView, _: str) -> Outcome:
    blocked = flow.snapshot.blocked
    return moves.edit_field(flow, blocked.field) if blocked else flow.stale()


CANCELLED_SCREEN = _text_screen(CANCELLED, "restart")
BLOCKED_SCREEN = Screen(state=BLOCKED, prompt=_blocked, actions={"unblock": _unblock})
