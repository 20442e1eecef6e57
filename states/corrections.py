"""Corrections typed anywhere: « en fait c'était le 12 mai », « non, c'est l'Espagne ».

A sentence that corrects an earlier answer, with a value that fits one answered field, is
applied to that field after a one-tap confirmation (``fix:<question>``); the questions the
change bears on are asked again, then the user is back where they were. A value that fits
several fields, or none, asks which answer to correct, with buttons.
"""

from __future__ import annotations

from typing import Any

from bot.domain.corrections import Correction, read_correction
from bot.domain.errors import InvalidAnswer
from bot.domain.io import Button, Reply
from states import answers, moves, payloads
from states.conditions import applies
from states.events import Outcome
from states.machine import QUESTIONS
from states.payloads import Payload
from states.prompts import nav
from states.questions import Kind, Question
from states.snapshot import PendingCorrection
from states.values import read_answer, show_value
from states.view import FlowView

# Kinds that would take any words: a correction reaches them only when it names them.
_ANY_WORDS = (Kind.NAME, Kind.CONTEXT)


def _read(flow: FlowView, question: Question, value: str) -> tuple[str, Any] | None:
    """Return the part of ``value`` that answers ``question``, and its reading, if any."""
    words = value.split()
    for start in range(len(words)):  # « date de fin c'est le 30/09 » → « 30/09 »
        typed = " ".join(words[start:])
        try:
            return typed, read_answer(question, typed, flow.today, flow.draft)
        except InvalidAnswer:
            continue
    return None


def _candidates(flow: FlowView, found: Correction) -> list[tuple[Question, str, Any]]:
    """Return the questions the corrected value fits: the one on screen, or answered ones."""
    draft, state = flow.draft, flow.snapshot.state
    fits: list[tuple[Question, str, Any]] = []
    for question in QUESTIONS.values():
        if not applies(question.when, draft):
            continue
        if question.id != state and not draft.answered(question.field):
            continue
        if question.kind in _ANY_WORDS and question.field not in found.named_fields:
            continue
        read = _read(flow, question, found.value)
        if read is not None:
            fits.append((question, *read))
    named = [fit for fit in fits if fit[0].field in found.named_fields]
    return named or fits


def correct(flow: FlowView, text: str) -> Outcome | None:
    """Handle ``text`` as a correction, or return None when it is not one."""
    found = read_correction(text)
    if found is None:
        return None
    fits = _candidates(flow, found)
    on_screen = [fit for fit in fits if fit[0].id == flow.snapshot.state]
    if on_screen and (len(fits) == 1 or not found.named_fields):
        # Correcting the question being asked is answering it.
        return answers.answer(flow, on_screen[0][0], typed=on_screen[0][1])
    if not fits and not found.strong:
        return None  # a plain « non merci » is an answer, not a correction
    catalog = flow.catalog
    if len(fits) == 1:
        return _confirm(flow, *fits[0])
    choices = [fit[0] for fit in fits] or [
        q for q in QUESTIONS.values()
        if applies(q.when, flow.draft) and flow.draft.answered(q.field)]
    flow.snapshot.correction = PendingCorrection(
        question_id="", typed=found.value if fits else "")
    buttons = tuple(_fix_button(flow, question) for question in choices)
    return Outcome([Reply(catalog.text("correction.which"), (*buttons, nav(catalog, "resume")))])


def edited(flow: FlowView, text: str, ref: str) -> Outcome:
    """Offer an edited message as the correction of the answer it gave, never ignore it."""
    question = QUESTIONS.get(flow.snapshot.answered_by.get(ref, ""))
    catalog = flow.catalog
    if question is None or not applies(question.when, flow.draft):
        return flow.prompt(catalog.text("correction.edit_unknown"))
    read = _read(flow, question, text)
    if read is None:
        return flow.prompt(catalog.text("correction.edit_unreadable",
                                        field=catalog.text(f"question.{question.id}.short")))
    return _confirm(flow, question, *read)


def _confirm(flow: FlowView, question: Question, typed: str, value: Any) -> Outcome:
    """Offer to put ``value`` in ``question``'s answer, with one tap."""
    catalog = flow.catalog
    flow.snapshot.correction = PendingCorrection(question_id=question.id, typed=typed)
    language = flow.snapshot.language
    text = catalog.text("correction.confirm",
                        field=catalog.text(f"question.{question.id}.short"),
                        old=show_value(question, flow.draft.value(question.field), language),
                        new=show_value(question, value, language))
    return Outcome([Reply(text, (_fix_button(flow, question, "button.fix_yes"),
                                 nav(catalog, "resume")))])


def _fix_button(flow: FlowView, question: Question, key: str = "") -> Button:
    label = flow.catalog.text(key or f"question.{question.id}.short")
    return Button(payloads.build(payloads.Kind.FIX, question.id), label)


def apply(flow: FlowView, payload: Payload) -> Outcome:
    """Apply the correction offered, to the field pressed (``fix:<question>``)."""
    pending = flow.snapshot.correction
    question = QUESTIONS.get(payload.first)
    if pending is None or question is None or pending.question_id not in ("", question.id):
        return flow.stale()
    flow.snapshot.correction = None
    if not pending.typed:  # which answer was unclear: go and ask it again
        return moves.edit_field(flow, question.field)
    moves.edit(flow, question.id)
    outcome = answers.answer(flow, question, typed=pending.typed)
    return Outcome([Reply(flow.catalog.text("correction.done")), *outcome.replies],
                   send_pack=outcome.send_pack, claim_ready=outcome.claim_ready)
