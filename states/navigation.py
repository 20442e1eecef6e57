"""Commands and navigation: welcome, back, edit from the recap, cancel, restart, help, status.

Also the messages of the states that are not questions (documents, recap, certifications,
end, blocked, cancelled).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.catalog import get_catalog
from bot.domain.choices import choice_list
from bot.domain.claim import ClaimDraft
from bot.domain.countries import suggest_countries
from bot.domain.intents import intent_of
from bot.domain.io import Button, Reply
from states import documents_flow
from states.conditions import applies
from states.events import Outcome
from states.machine import (
    BLOCKED,
    CANCELLED,
    DOCUMENTS,
    DONE,
    QUESTIONS,
    STEPS,
    SUMMARY,
    WELCOME,
    move,
    step_of,
)
from states.prompts import edit_field_buttons, edit_step_buttons, nav
from states.recap import render_recap
from states.snapshot import FlowSnapshot, Status

if TYPE_CHECKING:
    from states.flow import ClaimFlow

ENDED = (DONE, CANCELLED, BLOCKED)
# What a new claim for another family member keeps: the account holder and the stay.
FAMILY_FIELDS = ("regime", "nationality", "situation", "country", "tariff", "ceam", "sector",
                 "stay_reason", "detachment_length", "stay_start", "stay_end")


def yes_no(text: str) -> str | None:
    """Return ``oui``/``non`` for a typed yes or no, else None."""
    choice = choice_list("yes_no").match(text)
    return choice.id if choice else None


def country_buttons(typed: str) -> tuple[Button, ...]:
    """Return buttons for the countries closest to an unknown typed name."""
    return tuple(Button(f"a:stay.country:{c.code}", c.label) for c in suggest_countries(typed))


def command(flow: ClaimFlow, name: str) -> Outcome:
    """Apply a command (``/retour``, ``/annuler``, ``/aide``…) or its typed equivalent."""
    catalog = flow.catalog
    snapshot = flow.snapshot
    if name == "start":
        if snapshot.state in (WELCOME, DONE, CANCELLED) or not snapshot.accepted_privacy:
            return _new_claim(flow, keep=()) if snapshot.state != WELCOME else flow.prompt()
        return Outcome([Reply(catalog.text("start.in_progress", where=_where(flow)),
                              (nav(catalog, "resume"), nav(catalog, "restart_yes")))])
    if name == "back":
        return back(flow)
    if name == "cancel":
        return Outcome([Reply(catalog.text("cancel.confirm"),
                              (nav(catalog, "cancel_yes"), nav(catalog, "resume")))])
    if name == "delete":
        return Outcome([Reply(catalog.text("delete.confirm"),
                              (nav(catalog, "erase_yes"), nav(catalog, "resume")))])
    if name == "help":
        return flow.prompt(_help(flow))
    if name == "status":
        return flow.prompt(catalog.text("status.where", where=_where(flow)))
    if name == "summary":
        return Outcome([Reply(render_recap(flow.draft, snapshot.language))]).say(
            *flow.prompt().replies)
    if name == "why":
        return why(flow, "")
    if name == "list":
        return Outcome([documents_flow.checklist_reply(flow)]).say(*flow.prompt().replies)
    return flow.prompt(catalog.text("error.unknown_command"))


def press(flow: ClaimFlow, action: str) -> Outcome:
    """Apply a navigation button."""
    snapshot = flow.snapshot
    simple = {"back": "back", "help": "help", "list": "list", "summary_show": "summary"}
    if action in simple:
        return command(flow, simple[action])
    if action == "begin" and snapshot.state == WELCOME:
        snapshot.accepted_privacy = True
        return flow.advance(Outcome())
    if action == "resume":
        return flow.prompt()
    if action in ("lang_en", "lang_fr"):
        snapshot.language = action[-2:]
        flow.catalog = get_catalog(snapshot.language)
        return flow.prompt()
    # Old buttons stay on the phone: each acts only where it was offered.
    if action == "restart_yes" or (action == "restart" and snapshot.state in ENDED):
        return _new_claim(flow, keep=())
    if action == "new_family" and snapshot.state == DONE:
        return _new_claim(flow, keep=FAMILY_FIELDS)
    if action == "cancel_yes" and snapshot.state not in (*ENDED, WELCOME):
        snapshot.state = CANCELLED
        snapshot.status = Status.ABANDONED
        return flow.prompt()
    if action == "erase_yes":
        outcome = Outcome([Reply(flow.catalog.text("delete.done"))], erase=True)
        flow.snapshot = FlowSnapshot(language=snapshot.language)
        return outcome
    if action == "unblock" and snapshot.state == BLOCKED and snapshot.blocked:
        return _edit_field(flow, snapshot.blocked.field)
    if action in ("docs_done", "docs_continue") and snapshot.state == DOCUMENTS:
        return documents_flow.done(flow, confirmed=action == "docs_continue")
    if action == "summary" and snapshot.state == SUMMARY:
        return flow.prompt()
    if action == "validate" and snapshot.state == SUMMARY:
        missing = _first_missing(flow)
        if missing is not None:
            # Only a complete claim reaches the certifications (an edit may have left a gap).
            snapshot.editing = True
            snapshot.state = missing
            return flow.prompt(flow.catalog.text("summary.missing"))
        return flow.advance(Outcome())
    if action == "edit" and snapshot.state == SUMMARY:
        return Outcome([Reply(flow.catalog.text("edit.which_step"), edit_step_buttons(snapshot))])
    return flow.stale()


def edit(flow: ClaimFlow, rest: str) -> Outcome:
    """Change an answer from the recap (``edit:step:N`` then ``edit:q:<question>``)."""
    kind, _, value = rest.partition(":")
    if flow.snapshot.state != SUMMARY:
        return flow.stale()
    if kind == "step" and value in ("1", "2", "3"):
        step = STEPS[int(value) - 1]
        return Outcome([Reply(flow.catalog.text("edit.which_field"),
                              edit_field_buttons(flow.snapshot, step.id))])
    if kind == "step" and value == "4":
        flow.snapshot.editing = True
        return _go(flow, DOCUMENTS)
    if kind == "q" and value in QUESTIONS:
        return _edit_field(flow, QUESTIONS[value].field)
    return flow.stale()


def _first_missing(flow: ClaimFlow) -> str | None:
    """Return the first question that applies and has no answer, if any."""
    return next((q.id for q in QUESTIONS.values()
                 if applies(q.when, flow.draft) and not flow.draft.answered(q.field)), None)


def _edit_field(flow: ClaimFlow, field: str) -> Outcome:
    question = next((q for q in QUESTIONS.values() if q.field == field), None)
    flow.snapshot.editing = True
    flow.snapshot.status = Status.IN_PROGRESS
    flow.snapshot.blocked = None
    return _go(flow, question.id if question else SUMMARY)


def _go(flow: ClaimFlow, state: str) -> Outcome:
    flow.snapshot.suggestion = None
    flow.snapshot.state = move(flow.snapshot.state, f"to_{state}", flow) or state
    return flow.prompt()


def back(flow: ClaimFlow) -> Outcome:
    """Go back one question, showing the earlier answer."""
    snapshot = flow.snapshot
    if snapshot.state == BLOCKED and snapshot.blocked:
        return _edit_field(flow, snapshot.blocked.field)
    if snapshot.state in (DONE, CANCELLED, WELCOME):
        return flow.prompt(flow.catalog.text("back.impossible"))
    target = move(snapshot.state, "back", flow)
    if target is None:
        return flow.prompt(flow.catalog.text("back.first"))
    snapshot.state = target
    snapshot.suggestion = None
    return flow.prompt()


def why(flow: ClaimFlow, rule_id: str) -> Outcome:
    """Explain a finding (or the last ones shown): its reason and its source."""
    wanted = rule_id.split(",") if rule_id else flow.snapshot.last_rules
    findings = [f for f in flow.evaluation().findings if f.rule_id in wanted]
    if not findings:
        return Outcome([Reply(flow.catalog.text("why.nothing"))])
    text = "\n\n".join(f"{f.rule_id} · {f.why or f.text}" for f in findings)
    return Outcome([Reply(text)])


def typed_elsewhere(flow: ClaimFlow, text: str) -> Outcome:
    """Handle typed text in a state that is not a question."""
    state = flow.snapshot.state
    context = {WELCOME: "welcome", DOCUMENTS: "documents", SUMMARY: "summary"}.get(state, "")
    action = intent_of(text, context)
    if action:
        return press(flow, action)
    if state == DOCUMENTS:
        sorted_now = documents_flow.categorise_typed(flow, text)
        if sorted_now is not None:
            return sorted_now
    return flow.prompt(flow.catalog.text(f"hint.{state}"))


def finish(flow: ClaimFlow) -> Outcome:
    """Mark the claim ready once both boxes are ticked, and ask for the pack to be sent."""
    snapshot = flow.snapshot
    snapshot.state = DONE
    snapshot.status = Status.READY
    snapshot.ready_on = flow.today
    return Outcome(send_pack=True, claim_ready=True).say(*flow.prompt().replies)


def _new_claim(flow: ClaimFlow, keep: tuple[str, ...]) -> Outcome:
    old = flow.snapshot
    kept = {name: old.draft.value(name) for name in keep}
    flow.snapshot = FlowSnapshot(
        claim_no=old.claim_no + (0 if old.state == WELCOME else 1), language=old.language,
        accepted_privacy=old.accepted_privacy, draft=ClaimDraft(**kept), editing=bool(keep),
    )
    if not flow.snapshot.accepted_privacy:
        return flow.prompt()
    flow.snapshot.state = WELCOME
    lead = flow.catalog.text("start.family") if keep else ""
    return flow.advance(Outcome(), lead=lead)


def _where(flow: ClaimFlow) -> str:
    state = flow.snapshot.state
    step = step_of(state)
    catalog = flow.catalog
    if step is None:
        return catalog.text(f"where.{state}")
    title = catalog.text(step.title_key)
    if state not in QUESTIONS:
        return catalog.text("step.header", number=step.number, title=title)
    place = catalog.text(QUESTIONS[state].label_key)
    return catalog.text("where.step", number=step.number, title=title, place=place)


def _help(flow: ClaimFlow) -> str:
    state = flow.snapshot.state
    specific = f"help.{state}"
    parts = [flow.catalog.text(specific)] if flow.catalog.has(specific) else []
    parts.append(flow.catalog.text("help.general"))
    return "\n\n".join(parts)


