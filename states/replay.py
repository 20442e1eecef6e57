"""Show a stored reply again as the user saw it: its text, its buttons' labels, its files.

A turn stores each reply as catalog keys and button payloads (``bot.service_record``); the
labels come back from the payloads, in the conversation's language, as ``states.prompts``
made them.
"""

from __future__ import annotations

import json

from bot.domain.catalog import Catalog, get_catalog
from bot.domain.categories import category_label
from bot.domain.choices import choice_list
from bot.domain.countries import find_country
from bot.domain.phrases import render
from states.machine import QUESTIONS
from states.payloads import Kind, Payload, parse


def _answer_label(payload: Payload, language: str) -> str:
    question = QUESTIONS.get(payload.first)
    if question is None:
        return payload.second
    if question.choices:
        choice = choice_list(question.choices).get(payload.second)
        return choice.label_for(language) if choice else payload.second
    found = find_country(payload.second) if len(payload.second) == 2 else None
    return found.label if found else payload.second


def button_label(payload_text: str, catalog: Catalog) -> str:
    """Return the label the button of ``payload_text`` showed."""
    payload = parse(payload_text)
    if payload is None:
        return payload_text
    match payload.kind:
        case Kind.ANSWER:
            return _answer_label(payload, catalog.language)
        case Kind.CATEGORY:
            return category_label(payload.second, catalog.language)
        case Kind.EDIT if payload.first == "step":
            key = f"button.edit_step_{payload.second}"
        case Kind.EDIT:
            key = f"question.{payload.second}.short"
        case Kind.CERTIFY:
            key = "button.tick" if payload.second == "oui" else "button.no_tick"
        case Kind.NAV:
            key = f"button.{payload.first}"
        case Kind.SUGGESTION:
            key = "button.use_suggestion"
        case Kind.WHY:
            key = "button.why"
    return catalog.text(key) if catalog.has(key) else payload_text


def render_reply(stored: str, language: str) -> str:
    """Return the text of a stored reply, then its buttons ``[label]`` and files."""
    data = json.loads(stored)
    catalog = get_catalog(language if language in ("fr", "en") else "fr")
    extra = [f"[{button_label(payload, catalog)}]" for payload in data.get("b", ())]
    extra += [f"[fichier] {name}" for name in data.get("f", ())]
    text = render(data.get("t", ""), catalog.text)
    return "\n".join([text, " ".join(extra)]) if extra else text
