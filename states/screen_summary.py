"""Step 5 « Récapitulatif »: the recap, changing an answer, then validation."""

from __future__ import annotations

from bot.domain.intents import intent_of
from bot.domain.io import Reply
from bot.domain.phrases import join
from states import moves
from states.events import Outcome
from states.machine import DOCUMENTS, QUESTIONS, STEPS, SUMMARY
from states.payloads import Payload
from states.prompts import edit_field_buttons, edit_step_buttons, header, nav
from states.recap import render_recap
from states.view import FlowView, Screen


def _prompt(flow: FlowView, lead: str) -> Outcome:
    catalog = flow.catalog
    recap = render_recap(flow.draft, flow.snapshot.language)
    text = join("\n\n", (lead, header(flow.snapshot, catalog), recap))
    return Outcome([Reply(text, (nav(catalog, "validate"), nav(catalog, "edit"),
                                 nav(catalog, "back")))])


def _validate(flow: FlowView, _: str) -> Outcome:
    missing = moves.first_missing(flow)
    if missing is not None:
        # Only a complete claim reaches the certifications (an edit may have left a gap).
        return moves.edit(flow, missing, flow.catalog.text("summary.missing"))
    return flow.advance(Outcome())


def _which_step(flow: FlowView, _: str) -> Outcome:
    return Outcome([Reply(flow.catalog.text("edit.which_step"), edit_step_buttons(flow.snapshot))])


def edit(flow: FlowView, payload: Payload) -> Outcome:
    """Change an answer from the recap (``edit:step:<n>`` then ``edit:q:<question>``)."""
    if flow.snapshot.state != SUMMARY:
        return flow.stale()
    kind, value = payload.first, payload.second
    if kind == "step" and value in ("1", "2", "3"):
        step = STEPS[int(value) - 1]
        return Outcome([Reply(flow.catalog.text("edit.which_field"),
                              edit_field_buttons(flow.snapshot, step.id))])
    if kind == "step" and value == "4":
        return moves.edit(flow, DOCUMENTS)
    if kind == "q" and value in QUESTIONS:
        return moves.edit_field(flow, QUESTIONS[value].field)
    return flow.stale()


def _typed(flow: FlowView, text: str) -> Outcome:
    if intent_of(text, "summary") == "validate":
        return _validate(flow, text)
    return flow.prompt(flow.catalog.text("hint.summary"))


SCREEN = Screen(
    state=SUMMARY,
    prompt=_prompt,
    on_text=_typed,
    actions={"summary": lambda flow, _: flow.prompt(), "validate": _validate,
             "edit": _which_step},
)
