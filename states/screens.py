"""The messages of the states that are not questions: documents, recap, certifications,
end, blocked, cancelled and the welcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.io import Button, Reply
from states import documents_flow
from states.events import Outcome
from states.machine import (
    BLOCKED,
    CANCELLED,
    CERTIFY_ACCURACY,
    CERTIFY_ORIGINALS,
    DOCUMENTS,
    DONE,
    SUMMARY,
    WELCOME,
)
from states.prompts import header, nav
from states.recap import render_recap

if TYPE_CHECKING:
    from states.flow import ClaimFlow


def state_prompt(flow: ClaimFlow, lead: str) -> Outcome:
    """Return the message of a state that is not a question."""
    snapshot = flow.snapshot
    catalog = flow.catalog
    state = snapshot.state
    top = "\n\n".join(p for p in (lead, header(snapshot, catalog)) if p)
    if state == DOCUMENTS:
        return Outcome([documents_flow.prompt(flow, top)])
    if state == BLOCKED and snapshot.blocked:
        found = [f for f in flow.evaluation().blocking() if f.rule_id == snapshot.blocked.rule_id]
        text = f"⛔ {found[0].text}" if found else catalog.text("blocked.generic")
        buttons = (Button(f"why:{snapshot.blocked.rule_id}", catalog.text("button.why")),
                   nav(catalog, "unblock"), nav(catalog, "restart"))
        return Outcome([Reply("\n\n".join(p for p in (lead, text) if p), buttons)])
    if state == SUMMARY:
        text = "\n\n".join(p for p in (top, render_recap(flow.draft, snapshot.language)) if p)
        buttons = (nav(catalog, "validate"), nav(catalog, "edit"), nav(catalog, "back"))
        return Outcome([Reply(text, buttons)])
    if state in (CERTIFY_ORIGINALS, CERTIFY_ACCURACY):
        key = "certify.originals" if state == CERTIFY_ORIGINALS else "certify.accuracy"
        buttons = (Button("crt:oui", catalog.text("button.tick")),
                   Button("crt:non", catalog.text("button.no_tick")), nav(catalog, "back"))
        return Outcome([Reply("\n\n".join(p for p in (top, catalog.text(key)) if p), buttons)])
    buttons = {
        WELCOME: (nav(catalog, "begin"), nav(catalog, "help"),
                  nav(catalog, "lang_fr" if snapshot.language == "en" else "lang_en")),
        DONE: (nav(catalog, "new_family"), nav(catalog, "restart")),
        CANCELLED: (nav(catalog, "restart"),),
    }.get(state, ())
    text = "\n\n".join(p for p in (lead, catalog.text(f"state.{state}")) if p)
    return Outcome([Reply(text, buttons)])
