"""The conversation engine: one ``ClaimFlow`` per turn, around a saved ``FlowSnapshot``.

``handle`` takes one input and returns the replies. Every question is asked, parsed,
validated and stored by the same code; the machine (``states.machine``) decides where to go.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.catalog import get_catalog
from bot.domain.claim import ClaimDraft
from bot.domain.eligibility import Evaluation, Finding, Level, PastClaim, evaluate
from bot.domain.errors import InvalidAnswer
from bot.domain.intents import intent_of
from bot.domain.io import Button, Command, Press, Reply, Text
from bot.domain.validation import failed_checks
from states import documents_flow, navigation, screens
from states.conditions import applies
from states.events import DocumentAdded, DocumentFailed, FlowInput, Outcome
from states.machine import (
    BLOCKED,
    CERTIFY_ACCURACY,
    CERTIFY_ORIGINALS,
    DOCUMENTS,
    QUESTIONS,
    SUMMARY,
    move,
)
from states.prompts import question_reply
from states.questions import Question
from states.snapshot import Blocked, FlowSnapshot, Status
from states.values import read_answer, read_pressed, show_value


class ClaimFlow:
    """Apply one input to a conversation and say what to reply."""

    def __init__(
        self, snapshot: FlowSnapshot, *, today: date, history: Sequence[PastClaim] = ()
    ) -> None:
        self.snapshot = snapshot
        self.today = today
        self.history = tuple(history)
        self.catalog = get_catalog(snapshot.language)

    @property
    def draft(self) -> ClaimDraft:
        """Return the claim being filled."""
        return self.snapshot.draft

    # Guards of the machine's ``next`` and ``back`` transitions.
    def should_visit(self, state: str) -> bool:
        """Tell whether ``next`` stops at ``state``."""
        if state in QUESTIONS:
            question = QUESTIONS[state]
            wanted = applies(question.when, self.draft)
            return wanted and not (self.snapshot.editing and self.draft.answered(question.field))
        if state == DOCUMENTS:
            return not (self.snapshot.editing and self.snapshot.documents_seen)
        return True

    def can_return_to(self, state: str) -> bool:
        """Tell whether ``back`` stops at ``state``."""
        return state not in QUESTIONS or applies(QUESTIONS[state].when, self.draft)

    def evaluation(self) -> Evaluation:
        """Evaluate the eligibility rules on the answers so far."""
        return evaluate(self.draft, today=self.today, history=self.history,
                        language=self.snapshot.language)

    # Dispatch.
    def handle(self, event: FlowInput) -> Outcome:
        """Apply ``event`` and return what to reply."""
        match event:
            case Command(name=name):
                return navigation.command(self, name)
            case Press(payload=payload):
                return self._press(payload)
            case Text(text=text):
                return self._text(text)
            case DocumentAdded():
                return documents_flow.added(self, event)
            case DocumentFailed(message=message):
                return Outcome([Reply(message), *self.prompt().replies])
        return self.prompt()  # pragma: no cover

    def _press(self, payload: str) -> Outcome:
        kind, _, rest = payload.partition(":")
        if kind == "a":
            question_id, _, choice_id = rest.partition(":")
            if question_id != self.snapshot.state or question_id not in QUESTIONS:
                return self.stale()
            return self._answer(QUESTIONS[question_id], pressed=choice_id)
        if kind == "sugg" and rest == self.snapshot.state and self.snapshot.suggestion:
            return self._answer(QUESTIONS[rest], typed=self.snapshot.suggestion)
        handler = {
            "nav": navigation.press, "edit": navigation.edit, "why": navigation.why,
            "cat": documents_flow.categorise, "crt": ClaimFlow._certify,
        }.get(kind)
        if handler is None:
            return self.stale()
        return handler(self, rest)

    def _text(self, text: str) -> Outcome:
        command = intent_of(text, "commands")
        if command:
            return navigation.command(self, command)
        state = self.snapshot.state
        if state in QUESTIONS:
            return self._answer(QUESTIONS[state], typed=text)
        if state in (CERTIFY_ORIGINALS, CERTIFY_ACCURACY):
            return self._certify(navigation.yes_no(text) or "?")
        return navigation.typed_elsewhere(self, text)

    def stale(self) -> Outcome:
        """Answer a button that no longer applies, then show the current question."""
        return Outcome([Reply(self.catalog.text("error.stale_button")), *self.prompt().replies])

    # Answers.
    def _answer(self, question: Question, *, typed: str = "", pressed: str = "") -> Outcome:
        try:
            if pressed:
                value = read_pressed(question, pressed)
            else:
                value = read_answer(question, typed, self.today)
        except InvalidAnswer as error:
            self.snapshot.suggestion = error.suggestion
            params = {"value": typed[:60], **error.params}
            lead = self.catalog.text(error.key, **params)
            extra = navigation.country_buttons(typed) if question.kind == "country" else ()
            return Outcome([self._retry(question, lead, extra)])
        self.snapshot.suggestion = None
        return self._store(question, value)

    def _retry(self, question: Question, lead: str, extra: tuple[Button, ...] = ()) -> Reply:
        """Say what is wrong and ask the same question again, keeping its buttons."""
        reply = question_reply(self.snapshot, question)
        suggestion = self.snapshot.suggestion
        text = lead + ("\n\n" + self.catalog.text("info.suggestion", text=suggestion)
                       if suggestion else "")
        return Reply(text, extra + reply.buttons)

    def _store(self, question: Question, value: object) -> Outcome:
        field = question.field
        previous = self.draft.value(field)
        setattr(self.draft, field, value)
        outcome = Outcome()
        issues = failed_checks(self.draft, self.today, field)
        # The most dependent answer of a failed check is the one to ask again; a check with
        # nothing after this answer rejects it, and then nothing else may change.
        reask = {issue.check.fields[-1] for issue in issues if issue.level == "BLOCK"
                 and _after(issue.check.fields[-1], field)}
        rejected = [issue for issue in issues if issue.level == "BLOCK"
                    and not _after(issue.check.fields[-1], field)]
        if rejected:
            setattr(self.draft, field, previous)
            return Outcome([self._retry(question, self.catalog.text(rejected[0].check.key))])
        for issue in issues:
            if issue.level == "WARN":
                outcome.say(Reply(self.catalog.text(issue.check.key)))
        if reask:
            for name in reask:
                setattr(self.draft, name, None)
            self.snapshot.editing = True
            outcome.say(Reply(self.catalog.text("info.reasked")))
        self._prune()
        echo = self.catalog.text("info.saved", value=show_value(question, value,
                                                                 self.snapshot.language))
        findings = self.evaluation()
        blocking = [f for f in findings.blocking() if f.field is None or _answered(self, f)]
        if blocking:
            return outcome.say(*self.block(blocking[0]).replies)
        notice = self._notices(findings, field, echo)
        if notice:
            return self.advance(outcome.say(notice))
        return self.advance(outcome, lead=echo)

    def _prune(self) -> None:
        """Forget answers to questions that no longer apply (e.g. tariff after a new country)."""
        for question in QUESTIONS.values():
            if not applies(question.when, self.draft) and self.draft.answered(question.field):
                setattr(self.draft, question.field, None)

    def _notices(self, findings: Evaluation, field: str, echo: str) -> Reply | None:
        """Say once each warning and advice caused by ``field``, after what was kept."""
        new = [f for f in findings.findings
               if f.level in (Level.WARN, Level.INFO) and f.field == field
               and f.rule_id not in self.snapshot.shown_rules]
        if not new:
            return None
        self.snapshot.shown_rules += [f.rule_id for f in new]
        self.snapshot.last_rules = [f.rule_id for f in new]
        lines = [f"{_ICONS[f.level]} {f.text}" for f in new]
        # One « Pourquoi ? » for the lot; the payload names them (64 bytes at most).
        payload = "why:" + ",".join(f.rule_id for f in new)
        why = Button(payload[:64].rsplit(",", 1)[0] if len(payload) > 64 else payload,
                     self.catalog.text("button.why"))
        return Reply("\n\n".join([echo, *lines]), (why,))

    def block(self, finding: Finding) -> Outcome:
        """Stop the claim on a BLOCK finding, keeping every answer."""
        self.snapshot.blocked = Blocked(rule_id=finding.rule_id, field=finding.field or "")
        self.snapshot.status = Status.BLOCKED
        self.snapshot.state = BLOCKED
        self.snapshot.last_rules = [finding.rule_id]
        return self.prompt()

    # Moving.
    def advance(self, outcome: Outcome, *, lead: str = "") -> Outcome:
        """Go to the next state that applies and ask it."""
        target = move(self.snapshot.state, "next", self)
        if target is not None:
            self.snapshot.state = target
        if self.snapshot.state == SUMMARY:
            self.snapshot.editing = False
        return outcome.say(*self.prompt(lead).replies)

    def prompt(self, lead: str = "") -> Outcome:
        """Return the message of the current state."""
        state = self.snapshot.state
        if state in QUESTIONS:
            return Outcome([question_reply(self.snapshot, QUESTIONS[state], lead)])
        return screens.state_prompt(self, lead)

    def _certify(self, rest: str) -> Outcome:
        """Record a certification (CRT-01, CRT-02): only the user ticks it."""
        state = self.snapshot.state
        if state not in (CERTIFY_ORIGINALS, CERTIFY_ACCURACY):
            return self.stale()
        if rest != "oui":
            return self.prompt(self.catalog.text("certify.required"))
        if state == CERTIFY_ORIGINALS:
            self.draft.certified_originals = True
            return self.advance(Outcome())
        self.draft.certified_accuracy = True
        return navigation.finish(self)


_ICONS = {Level.WARN: "⚠️", Level.INFO: "ℹ️", Level.BLOCK: "⛔"}


def _after(field: str, other: str) -> bool:
    """Tell whether ``field`` comes after ``other`` in form order."""
    order = [q.field for q in QUESTIONS.values()]
    return order.index(field) > order.index(other)


def _answered(flow: ClaimFlow, finding: Finding) -> bool:
    return finding.field is not None and (
        finding.field not in ClaimDraft.model_fields or flow.draft.answered(finding.field)
    )


