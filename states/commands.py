"""Commands and the buttons that work on every screen, as tables: name → ``Action``.

A screen's own buttons live in its module (``states/screen_*.py``); these act anywhere, or in
the states their ``Action`` names. Adding a command is one row here plus its command word in
``config/intents.toml`` and its texts in the catalogs.
"""

from __future__ import annotations

from bot.domain.catalog import get_catalog
from bot.domain.io import Button, Reply
from bot.domain.parsing import format_date
from bot.domain.phrases import join
from states import handoff, moves, my_documents, payloads, reminder_actions
from states.events import Outcome
from states.machine import CANCELLED, DONE, STATES, WELCOME
from states.prompts import nav
from states.recap import render_recap
from states.screen_documents import checklist_reply
from states.snapshot import Status
from states.view import ANYWHERE, Action, FlowView


def _start(flow: FlowView, _: str) -> Outcome:
    snapshot = flow.snapshot
    if snapshot.state == WELCOME:
        return flow.prompt()
    if snapshot.state in (DONE, CANCELLED) or not snapshot.accepted_privacy:
        return moves.new_claim(flow)
    catalog = flow.catalog
    return Outcome([Reply(catalog.text("start.in_progress", where=moves.where(flow)),
                          (nav(catalog, "resume"), nav(catalog, "restart_yes")))])


def _confirm(question_key: str, action: str) -> Action:
    """Ask before a destructive action, with its button and « Reprendre »."""
    def ask(flow: FlowView, _: str) -> Outcome:
        catalog = flow.catalog
        return Outcome([Reply(catalog.text(question_key),
                              (nav(catalog, action), nav(catalog, "resume")))])
    return Action(ask)


def _help(flow: FlowView, _: str) -> Outcome:
    """Say the help of the current state, with « Parler à un conseiller »."""
    return handoff.offer(flow, flow.prompt(moves.help_text(flow)))


def _summary(flow: FlowView, _: str) -> Outcome:
    reference = flow.catalog.text("claims.reference", reference=flow.reference())
    recap = Reply(render_recap(flow.draft, flow.snapshot.language, reference=reference))
    return Outcome([recap, *flow.prompt().replies])


def _list(flow: FlowView, _: str) -> Outcome:
    return Outcome([checklist_reply(flow), *flow.prompt().replies])


def why(flow: FlowView, rule_ids: str) -> Outcome:
    """Explain findings (those named, or the last ones shown): the reason and its source."""
    wanted = rule_ids.split(",") if rule_ids else flow.snapshot.last_rules
    findings = [f for f in flow.evaluation().findings if f.rule_id in wanted]
    # The answer carries the buttons of the screen it explains: they stay one tap away.
    shown = flow.prompt().replies
    buttons = shown[-1].buttons if shown else ()
    if not findings:
        return Outcome([Reply(flow.catalog.text("why.nothing"), buttons)])
    return Outcome([Reply(join("\n\n", [f.why or f.text for f in findings]), buttons)])


def _claim_line(flow: FlowView, claim_no: int, status: str, beneficiary: str | None,
                when: str) -> str:
    return flow.catalog.text("claims.line", reference=flow.reference(claim_no),
                             beneficiary=(beneficiary or "—").upper(), when=when,
                             status=flow.catalog.text(f"claims.status.{status}"))


def _ready_claim_numbers(flow: FlowView) -> list[int]:
    ready = [claim.claim_no for claim in flow.claims if claim.status == Status.READY]
    if flow.snapshot.status is Status.READY:
        ready.append(flow.snapshot.claim_no)
    return ready


def _claims(flow: FlowView, _: str) -> Outcome:
    """List the chat's claims (``/mes_demandes``), with a button to resend each ready one."""
    snapshot = flow.snapshot
    lines = [_claim_line(flow, claim.claim_no, claim.status, claim.beneficiary,
                         format_date(claim.closed_on)) for claim in flow.claims]
    if snapshot.state != WELCOME:
        lines.append(_claim_line(flow, snapshot.claim_no, snapshot.status,
                                 snapshot.draft.beneficiary_name,
                                 format_date(snapshot.ready_on) if snapshot.ready_on else ""))
    catalog = flow.catalog
    text = join("\n", [catalog.text("claims.title"), *lines]) if lines else catalog.text(
        "claims.none")
    buttons = tuple(Button(payloads.build(payloads.Kind.PACK, str(no)),
                           catalog.text("button.resend", claim_no=no))
                    for no in _ready_claim_numbers(flow))
    return Outcome([Reply(text, buttons), *flow.prompt().replies])


def resend(flow: FlowView, claim_no: str) -> Outcome:
    """Send a ready claim's files again (a button of ``/mes_demandes``)."""
    if not claim_no.isdigit() or int(claim_no) not in _ready_claim_numbers(flow):
        return flow.stale()
    return Outcome(resend_pack=int(claim_no))


def _toggle_language(flow: FlowView, _: str) -> Outcome:
    """Switch between French and English (``/langue``), keeping every answer."""
    flow.snapshot.language = "en" if flow.snapshot.language == "fr" else "fr"
    return flow.prompt(flow.catalog.text("language.switched"))


def _switch_language(language: str) -> Action:
    def switch(flow: FlowView, _: str) -> Outcome:
        flow.snapshot.language = language
        return flow.prompt()
    return Action(switch)


def _cancel(flow: FlowView, _: str) -> Outcome:
    flow.snapshot.abandon()
    flow.fire("cancel")
    return flow.prompt()


def _erase(flow: FlowView, _: str) -> Outcome:
    language = flow.snapshot.language
    flow.forget()
    # The adapters forget the files they kept for the chat (the terminal chat's out/ folder).
    return Outcome([Reply(get_catalog(language).text("delete.done"), erased=True)], erase=True)


COMMANDS: dict[str, Action] = {
    "start": Action(_start),
    "back": Action(moves.back),
    "cancel": _confirm("cancel.confirm", "cancel_yes"),
    "delete": _confirm("delete.confirm", "erase_yes"),
    "help": Action(_help),
    "status": Action(lambda flow, _: flow.prompt(
        flow.catalog.text("status.where", where=moves.where(flow)))),
    "summary": Action(_summary),
    "why": Action(why),
    "list": Action(_list),
    "claims": Action(_claims),
    "documents": Action(my_documents.show),
    "language": Action(_toggle_language),
    "person": Action(handoff.ask),
    "assistant": Action(handoff.back_to_assistant),
    "reminders": Action(reminder_actions.show),
}
"""Commands (``/retour``…) and their typed words, by ``Command.name``."""

_ONGOING = frozenset(STATES) - moves.ENDED - {WELCOME}

BUTTONS: dict[str, Action] = {
    "back": COMMANDS["back"],
    "help": COMMANDS["help"],
    "list": COMMANDS["list"],
    "my_documents": COMMANDS["documents"],
    "summary_show": COMMANDS["summary"],
    "resume": Action(lambda flow, _: flow.prompt()),
    "person": COMMANDS["person"],
    "handback": COMMANDS["assistant"],
    "lang_en": _switch_language("en"),
    "lang_fr": _switch_language("fr"),
    # Old buttons stay on the phone: each acts only where it was offered.
    "restart_yes": Action(lambda flow, _: moves.new_claim(flow)),
    "restart": Action(lambda flow, _: moves.new_claim(flow), moves.ENDED),
    "new_family": Action(lambda flow, _: moves.new_claim(flow, moves.FAMILY_FIELDS),
                         frozenset({DONE})),
    "cancel_yes": Action(_cancel, _ONGOING),
    "erase_yes": Action(_erase, ANYWHERE),
}
"""``nav:<action>`` buttons that work beyond one screen."""
