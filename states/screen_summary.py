"""Step 5 « Récapitulatif »: the recap, both certification boxes, changing an answer, validation.

As on the form, the boxes (CRT-01, CRT-02) are ticked on the recap, by the user, before
« Valider ». Each box has its own payload (``crt:<box>:oui``), so a press counts only for its
box, once: a double tap never ticks the other one.
"""

from __future__ import annotations

from bot.domain.catalog import get_catalog
from bot.domain.choices import choice_list, match_offered
from bot.domain.intents import intent_of
from bot.domain.io import Button, Reply
from bot.domain.phrases import join
from states import moves, payloads
from states.conditions import applies
from states.events import Outcome
from states.machine import DOCUMENTS, QUESTIONS, STEPS, SUMMARY
from states.payloads import Payload
from states.prompts import edit_field_buttons, edit_step_buttons, header, nav
from states.recap import render_recap
from states.view import FlowView, Screen

BOXES = ("originals", "accuracy")
"""The boxes of the form, in its order; box ``b`` is the draft's ``certified_<b>``."""


def _ticked(flow: FlowView, box: str) -> bool:
    return bool(getattr(flow.draft, f"certified_{box}"))


def _box_button(flow: FlowView, box: str) -> Button:
    ticked = _ticked(flow, box)
    label = flow.catalog.text(f"button.{'ticked' if ticked else 'tick'}_{box}")
    return Button(payloads.build(payloads.Kind.CERTIFY, box, "non" if ticked else "oui"), label)


def _prompt(flow: FlowView, lead: str) -> Outcome:
    catalog = flow.catalog
    reference = catalog.text("claims.reference", reference=flow.reference())
    snapshot = flow.snapshot
    # Documents changed in this turn are planned after it: until then, no stale file names.
    files = snapshot.planned if snapshot.plan_key == snapshot.documents_key() else None
    recap = render_recap(flow.draft, snapshot.language, files, reference=reference)
    boxes = join("\n\n", [catalog.text(f"certify.{box}") for box in BOXES])
    text = join("\n\n", (lead, header(flow.snapshot, catalog), recap, boxes))
    buttons = (*(_box_button(flow, box) for box in BOXES), nav(catalog, "validate"),
               nav(catalog, "edit"), nav(catalog, "back"))
    return Outcome([Reply(text, buttons)])


def _validate(flow: FlowView, _: str) -> Outcome:
    missing = moves.first_missing(flow)
    if missing is not None:
        # Only a complete claim is validated (an edit may have left a gap).
        return moves.edit(flow, missing, flow.catalog.text("summary.missing"))
    if not all(_ticked(flow, box) for box in BOXES):
        return flow.prompt(flow.catalog.text("certify.required"))
    return moves.finish(flow)


def certify(flow: FlowView, payload: Payload) -> Outcome:
    """Tick or untick one box (``crt:<box>:<oui|non>``) on the recap."""
    box, wanted = payload.first, payload.second == "oui"
    if flow.snapshot.state != SUMMARY or box not in BOXES:
        return flow.stale()
    if wanted and _ticked(flow, box):
        return flow.prompt(flow.catalog.text("certify.already"))
    setattr(flow.draft, f"certified_{box}", wanted)
    return flow.prompt()


def _which_step(flow: FlowView, _: str) -> Outcome:
    return Outcome([Reply(flow.catalog.text("edit.which_step"), edit_step_buttons(flow.snapshot))])


def edit(flow: FlowView, payload: Payload) -> Outcome:
    """Change an answer from the recap (``edit:step:<n>`` then ``edit:q:<question>``)."""
    if flow.snapshot.state != SUMMARY:
        return flow.stale()
    kind, value = payload.first, payload.second
    if kind == "step" and value in ("1", "2", "3"):
        step = STEPS[int(value) - 1]
        flow.snapshot.editing_step = step.id
        return Outcome([Reply(flow.catalog.text("edit.which_field"),
                              edit_field_buttons(flow.snapshot, step.id))])
    if kind == "step" and value == "4":
        return moves.edit(flow, DOCUMENTS)
    if kind == "q" and value in QUESTIONS:
        return moves.edit_field(flow, QUESTIONS[value].field)
    return flow.stale()


def _typed_field(flow: FlowView, text: str) -> Outcome | None:
    """Pick the field typed among those « Modifier » lists (« montant »), if it names one."""
    step_id = flow.snapshot.editing_step
    if step_id is None:
        return None
    shorts = {question.id: [get_catalog(language).text(f"question.{question.id}.short")
                            for language in (flow.snapshot.language, "fr", "en")]
              for question in QUESTIONS.values()
              if question.id.startswith(f"{step_id}.") and applies(question.when, flow.draft)}
    chosen = match_offered(text, shorts)
    return None if chosen is None else moves.edit_field(flow, QUESTIONS[chosen].field)


def _typed(flow: FlowView, text: str) -> Outcome:
    picked = _typed_field(flow, text)
    if picked is not None:
        return picked
    if intent_of(text, "summary") == "validate":
        return _validate(flow, text)
    if choice_list("yes_no").match(text) is not None:  # « oui » to a box: it needs a tap
        return flow.prompt(flow.catalog.text("certify.required"))
    return flow.prompt(flow.catalog.text("hint.summary"))


SCREEN = Screen(
    state=SUMMARY,
    prompt=_prompt,
    on_text=_typed,
    actions={"summary": lambda flow, _: flow.prompt(), "validate": _validate,
             "edit": _which_step},
)
