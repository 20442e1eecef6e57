"""The welcome: what to prepare, the privacy notice, and consent before any personal data."""

from __future__ import annotations

from bot.domain.intents import intent_of
from bot.domain.io import Reply
from bot.domain.phrases import join
from states.events import Outcome
from states.machine import WELCOME
from states.prompts import nav
from states.view import FlowView, Screen


def _prompt(flow: FlowView, lead: str) -> Outcome:
    catalog = flow.catalog
    other = "lang_fr" if flow.snapshot.language == "en" else "lang_en"
    text = join("\n\n", (lead, catalog.text("state.welcome")))
    return Outcome([Reply(text, (nav(catalog, "begin"), nav(catalog, "help"),
                                 nav(catalog, other)))])


def _begin(flow: FlowView, _: str) -> Outcome:
    flow.snapshot.accepted_privacy = True
    return flow.advance(Outcome())


def _typed(flow: FlowView, text: str) -> Outcome:
    if intent_of(text, "welcome") == "begin":
        return _begin(flow, text)
    return flow.prompt(flow.catalog.text("hint.welcome"))


SCREEN = Screen(state=WELCOME, prompt=_prompt, on_text=_typed, actions={"begin": _begin})
