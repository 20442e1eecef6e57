"""Moves several screens and commands share: back, change an answer, a new claim, the end."""

from __future__ import annotations

from bot.domain.claim import ClaimDraft
from bot.domain.phrases import join
from states.conditions import applies
from states.events import Outcome
from states.machine import BLOCKED, CANCELLED, DONE, QUESTIONS, SUMMARY, WELCOME, step_of
from states.view import FlowView

ENDED = frozenset({DONE, CANCELLED, BLOCKED})
# What a new claim for another family member keeps: the account holder and the stay.
FAMILY_FIELDS = ("regime", "nationality", "situation", "country", "tariff", "ceam", "sector",
                 "stay_reason", "detachment_length", "stay_start", "stay_end")


def back(flow: FlowView, _: str = "") -> Outcome:
    """Go back one question, showing the earlier answer."""
    snapshot = flow.snapshot
    if snapshot.state == BLOCKED and snapshot.blocked:
        return edit_field(flow, snapshot.blocked.field)
    if snapshot.state in (DONE, CANCELLED, WELCOME):
        return flow.prompt(flow.catalog.text("back.impossible"))
    if not flow.fire("back"):
        return flow.prompt(flow.catalog.text("back.first"))
    snapshot.suggestion = None
    return flow.prompt()


def edit_field(flow: FlowView, field: str) -> Outcome:
    """Go and change the answer to ``field``; the recap if no question asks it."""
    question = next((q for q in QUESTIONS.values() if q.field == field), None)
    return edit(flow, question.id if question else SUMMARY)


def edit(flow: FlowView, state: str, lead: str = "") -> Outcome:
    """Go to ``state`` to change what it asks; ``next`` then asks only what is missing."""
    flow.snapshot.reopen()
    flow.fire("edit", state)
    return flow.prompt(lead)


def first_missing(flow: FlowView) -> str | None:
    """Return the first question that applies and has no answer, if any."""
    return next((q.id for q in QUESTIONS.values()
                 if applies(q.when, flow.draft) and not flow.draft.answered(q.field)), None)


def new_claim(flow: FlowView, keep: tuple[str, ...] = ()) -> Outcome:
    """Start a claim from the welcome, keeping ``keep``'s answers (another family member)."""
    kept = {name: flow.draft.value(name) for name in keep}
    flow.begin_claim(ClaimDraft(**kept), editing=bool(keep))
    flow.fire("restart")
    if not flow.snapshot.accepted_privacy:
        return flow.prompt()
    lead = flow.catalog.text("start.family") if keep else ""
    return flow.advance(Outcome(), lead=lead)


def finish(flow: FlowView) -> Outcome:
    """Mark the claim ready once both boxes are ticked, and ask for the pack to be sent."""
    flow.snapshot.mark_ready(flow.today, flow.now)
    flow.fire("finish")
    return Outcome(send_pack=True, claim_ready=True).say(*flow.prompt().replies)


def where(flow: FlowView) -> str:
    """Say where the conversation stands (step and question)."""
    return where_state(flow, flow.snapshot.state)


def where_state(flow: FlowView, state: str) -> str:
    """Say where ``state`` stands in the claim (step and question)."""
    step = step_of(state)
    catalog = flow.catalog
    if step is None:
        return catalog.text(f"where.{state}")
    title = catalog.text(step.title_key)
    if state not in QUESTIONS:
        return catalog.text("step.header", number=step.number, title=title)
    place = catalog.text(QUESTIONS[state].label_key)
    return catalog.text("where.step", number=step.number, title=title, place=place)


def help_text(flow: FlowView) -> str:
    """Return the help of the current state, then the general help."""
    specific = f"help.{flow.snapshot.state}"
    parts = [flow.catalog.text(specific)] if flow.catalog.has(specific) else []
    parts.append(flow.catalog.text("help.general"))
    return join("\n\n", parts)
