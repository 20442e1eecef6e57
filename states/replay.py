"""Show stored replies again as the user saw them: their text, their buttons' labels, files.

A turn stores each reply as catalog keys and button payloads (``bot.service_record``); the
labels come back from the payloads, in the conversation's language, as ``states.prompts``
made them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.catalog import Catalog, get_catalog
from bot.domain.categories import category_label
from bot.domain.choices import choice_list
from bot.domain.countries import find_country
from bot.domain.io import Reply
from bot.domain.phrases import encode, render
from states.handoff import AGENT_KEYS
from states.machine import QUESTIONS
from states.payloads import Kind, Payload, nav, parse
from states.prompts import question_reply
from states.snapshot import FlowSnapshot


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
            key = f"button.{'tick' if payload.second == 'oui' else 'ticked'}_{payload.first}"
        case Kind.NAV:
            key = f"button.{payload.first}"
        case Kind.SUGGESTION:
            key = "button.use_suggestion"
        case Kind.WHY:
            key = "button.why"
        case Kind.RECEIPTS:
            key = {"read": "button.read_receipts", "amount": "button.fix_amount",
                   "drop": "button.drop_duplicate"}.get(payload.first, "")
        case Kind.DOCUMENT:
            key = f"button.doc_{payload.first}"
        case Kind.CONVERT if payload.first == "cur":
            return payload.second
        case Kind.CONVERT:
            key = f"button.conversion_{payload.first}"
        case Kind.PACK:
            return catalog.text("button.resend", claim_no=payload.first)
        case Kind.FIX:
            key = f"question.{payload.first}.short"
        case Kind.REMINDER:
            key = f"button.reminder_{payload.first}"
    return catalog.text(key) if catalog.has(key) else payload_text


@dataclass(frozen=True)
class ShownReply:
    """One stored reply as the user saw it: its text, its buttons' labels, its files' names,
    and the adviser who wrote it (``states.handoff``; '' for the bot's own)."""

    text: str
    buttons: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    author: str = ""


def shown_replies(stored: str, language: str) -> list[ShownReply]:
    """Return a turn's stored replies as shown, in the conversation's language."""
    catalog = get_catalog(language if language in ("fr", "en") else "fr")
    return [ShownReply(render(data.get("t", ""), catalog.text),
                       tuple(render(b["l"], catalog.text) if isinstance(b, dict)
                             else button_label(b, catalog) for b in data.get("b", ())),
                       tuple(data.get("f", ())), _author(data.get("t")))
            for data in json.loads(stored)]


def _author(text: Any) -> str:
    """Return the adviser a stored text names (``states.handoff``), or ''."""
    if isinstance(text, dict) and text.get("k") in AGENT_KEYS:
        return str(text.get("a", {}).get("agent", ""))
    return ""




def encode_replies(replies: Sequence[Reply]) -> str:
    """Return a turn's replies as stored: texts as catalog keys, buttons' payloads, file names.

    A button's label comes back from its payload (``button_label``): it is not stored.
    """
    stored: list[dict[str, object]] = []
    for reply in replies:
        entry: dict[str, object] = {"t": encode(reply.text)}
        if reply.buttons:
            entry["b"] = [button.payload if button.copy is None
                          else {"c": button.copy, "l": encode(button.label)}
                          for button in reply.buttons]
        if reply.attachments:
            entry["f"] = [attachment.filename for attachment in reply.attachments]
        stored.append(entry)
    return json.dumps(stored, ensure_ascii=False, separators=(",", ":"))


def reply_dictionary() -> bytes:
    """Return the strings replies are made of, to prime their compression (``codec``).

    Every catalog key as ``encode`` writes it, every payload a button can carry, then every
    question as it is asked: zlib favours the end of a dictionary, where the most frequent are.
    """
    keys = sorted(get_catalog("fr").keys())
    buttons = [nav(key.removeprefix("button.")) for key in keys if key.startswith("button.")]
    asked = [encode_replies([question_reply(FlowSnapshot(state=question.id), question,
                                            get_catalog("fr").text("info.saved", value=""))])
             for question in QUESTIONS.values()]
    parts = [*(f'{{"k":"{key}"}}' for key in keys), *(f'"{payload}",' for payload in buttons),
             *asked]
    return "".join(parts).encode()
