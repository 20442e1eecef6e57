"""The two certification boxes of step 5 (CRT-01, CRT-02): only the user ticks them.

Each box has its own screen and its own payload (``crt:<box>:oui``), so a press counts only
for the box on screen, once: a double tap never ticks the next box.
"""

from __future__ import annotations

from bot.domain.choices import choice_list
from bot.domain.io import Button, Reply
from bot.domain.phrases import join
from states import moves, payloads
from states.events import Outcome
from states.machine import CERTIFY_ACCURACY, CERTIFY_ORIGINALS
from states.payloads import Payload
from states.prompts import header, nav
from states.view import FlowView, Screen

BOXES = {CERTIFY_ORIGINALS: "originals", CERTIFY_ACCURACY: "accuracy"}
"""The box each screen shows, by state; the box names its draft field ``certified_<box>``."""


def _ticked(flow: FlowView, box: str) -> bool:
    return bool(getattr(flow.draft, f"certified_{box}"))


def _box_screen(box: str) -> Screen:
    state = next(state for state, name in BOXES.items() if name == box)

    def prompt(flow: FlowView, lead: str) -> Outcome:
        catalog = flow.catalog
        text = join("\n\n", (lead, header(flow.snapshot, catalog), catalog.text(f"certify.{box}")))
        buttons = (Button(payloads.build(payloads.Kind.CERTIFY, box, "oui"),
                          catalog.text("button.tick")),
                   Button(payloads.build(payloads.Kind.CERTIFY, box, "non"),
                          catalog.text("button.no_tick")),
                   nav(catalog, "back"))
        return Outcome([Reply(text, buttons)])

    def typed(flow: FlowView, text: str) -> Outcome:
        choice = choice_list("yes_no").match(text)
        return _answer(flow, box, choice.id if choice else "")

    return Screen(state=state, prompt=prompt, on_text=typed)


def certify(flow: FlowView, payload: Payload) -> Outcome:
    """Apply a press on a box (``crt:<box>:<oui|non>``)."""
    box = payload.first
    if box not in BOXES.values():
        return flow.stale()
    if box != BOXES.get(flow.snapshot.state):
        if _ticked(flow, box):
            return flow.prompt(flow.catalog.text("certify.already"))
        return flow.stale()
    return _answer(flow, box, payload.second)


def _answer(flow: FlowView, box: str, answer: str) -> Outcome:
    if answer != "oui":
        return flow.prompt(flow.catalog.text("certify.required"))
    setattr(flow.draft, f"certified_{box}", True)
    if flow.snapshot.state == CERTIFY_ORIGINALS:
        return flow.advance(Outcome())
    return moves.finish(flow)


ORIGINALS = _box_screen("originals")
ACCURACY = _box_screen("accuracy")
