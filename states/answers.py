"""Answer the question on screen: read, check, store, then say what follows.

Every question is read, validated and stored by this code; the machine decides where to go.
"""

from __future__ import annotations

from bot.domain.claim import ClaimDraft
from bot.domain.countries import suggest_countries
from bot.domain.eligibility import Evaluation, Finding, Level
from bot.domain.errors import InvalidAnswer
from bot.domain.io import Button, Reply
from bot.domain.phrases import join
from bot.domain.validation import failed_checks
from states import payloads
from states.conditions import applies
from states.events import Outcome
from states.machine import QUESTIONS
from states.prompts import question_reply
from states.questions import Kind, Question
from states.values import read_answer, read_pressed, show_value
from states.view import FlowView

_ICONS = {Level.WARN: "⚠️", Level.INFO: "ℹ️", Level.BLOCK: "⛔"}
_FORM_ORDER = [question.field for question in QUESTIONS.values()]


def answer(flow: FlowView, question: Question, *, typed: str = "", pressed: str = "") -> Outcome:
    """Read a typed or pressed answer to ``question`` and store it, or ask again."""
    try:
        value = (read_pressed(question, pressed) if pressed
                 else read_answer(question, typed, flow.today, flow.draft))
    except InvalidAnswer as error:
        flow.snapshot.suggestion = error.suggestion
        lead = flow.catalog.text(error.key, **{"value": typed[:60], **error.params})
        extra = _country_buttons(typed) if question.kind is Kind.COUNTRY else ()
        return Outcome([retry(flow, question, lead, extra)])
    flow.snapshot.suggestion = None
    return store(flow, question, value)


def retry(flow: FlowView, question: Question, lead: str, extra: tuple[Button, ...] = ()) -> Reply:
    """Say what is wrong and ask the same question again, keeping its buttons."""
    reply = question_reply(flow.snapshot, question)
    suggestion = flow.snapshot.suggestion
    text = lead + ("\n\n" + flow.catalog.text("info.suggestion", text=suggestion)
                   if suggestion else "")
    return Reply(text, extra + reply.buttons)


def _country_buttons(typed: str) -> tuple[Button, ...]:
    """Return buttons for the countries closest to an unknown typed name."""
    return tuple(Button(payloads.answer("stay.country", found.code), found.label)
                 for found in suggest_countries(typed))


def store(flow: FlowView, question: Question, value: object) -> Outcome:
    """Keep ``value`` as the answer to ``question`` unless a check rejects it, then go on."""
    draft = flow.draft
    field = question.field
    previous = draft.value(field)
    setattr(draft, field, value)
    issues = failed_checks(draft, flow.today, field)
    blocking = [issue for issue in issues if issue.level == "BLOCK"]
    # The most dependent answer of a failed check is the one to ask again; a check with
    # nothing after this answer rejects it, and then nothing else may change.
    rejected = [issue for issue in blocking if not _after(issue.check.fields[-1], field)]
    if rejected:
        setattr(draft, field, previous)
        return Outcome([retry(flow, question, flow.catalog.text(rejected[0].check.key))])
    outcome = Outcome([Reply(flow.catalog.text(issue.check.key))
                       for issue in issues if issue.level == "WARN"])
    reask = {issue.check.fields[-1] for issue in blocking}
    if reask:
        for name in reask:
            setattr(draft, name, None)
        flow.snapshot.editing = True
        outcome.say(Reply(flow.catalog.text("info.reasked")))
    _prune(draft)
    echo = flow.catalog.text("info.saved",
                             value=show_value(question, value, flow.snapshot.language))
    findings = flow.evaluation()
    stopping = [f for f in findings.blocking() if f.field is None or _answered(draft, f)]
    if stopping:
        return outcome.say(*block(flow, stopping[0]).replies)
    notice = _notices(flow, findings, field, echo)
    if notice:
        return flow.advance(outcome.say(notice))
    return flow.advance(outcome, lead=echo)


def block(flow: FlowView, finding: Finding) -> Outcome:
    """Stop the claim on a BLOCK finding, keeping every answer."""
    flow.snapshot.stop_on(finding.rule_id, finding.field or "")
    flow.fire("block")
    return flow.prompt()


def _prune(draft: ClaimDraft) -> None:
    """Forget answers to questions that no longer apply (e.g. tariff after a new country)."""
    for question in QUESTIONS.values():
        if not applies(question.when, draft) and draft.answered(question.field):
            setattr(draft, question.field, None)


def _notices(flow: FlowView, findings: Evaluation, field: str, echo: str) -> Reply | None:
    """Say once each warning and advice caused by ``field``, after what was kept."""
    snapshot = flow.snapshot
    new = [f for f in findings.findings
           if f.level in (Level.WARN, Level.INFO) and f.field == field
           and f.rule_id not in snapshot.shown_rules]
    if not new:
        return None
    snapshot.shown_rules += [f.rule_id for f in new]
    snapshot.last_rules = [f.rule_id for f in new]
    lines = [f"{_ICONS[f.level]} {f.text}" for f in new]
    # One « Pourquoi ? » for the lot.
    why = Button(payloads.why([f.rule_id for f in new]), flow.catalog.text("button.why"))
    return Reply(join("\n\n", [echo, *lines]), (why,))


def _after(field: str, other: str) -> bool:
    """Tell whether ``field`` comes after ``other`` in form order."""
    return _FORM_ORDER.index(field) > _FORM_ORDER.index(other)


def _answered(draft: ClaimDraft, finding: Finding) -> bool:
    return finding.field is not None and (
        finding.field not in ClaimDraft.model_fields or draft.answered(finding.field)
    )
