"""Button payloads: the one place that writes and reads them.

A payload is ``<kind>:<argument>[:<argument>]`` and fits Telegram's 64-byte ``callback_data``.
Kinds, and the screens that offer them:

* ``a:<question>:<choice>``: an answer from a question's list;
* ``sugg:<question>``: take the corrected answer offered after a refusal;
* ``nav:<action>``: a command or a screen's action (``nav:validate``, ``nav:back``…);
* ``edit:step:<n>`` / ``edit:q:<question>``: change an answer from the recap;
* ``why:<rule>[,<rule>…]``: explain findings;
* ``cat:<document>:<category>``: sort a received document;
* ``crt:<box>:<oui|non>``: tick (or not) one certification box;
* ``pack:<claim number>``: send a ready claim's files again (``/mes_demandes``);
* ``fix:<question>``: apply a typed correction to that question's answer;
* ``conv:ok`` / ``conv:fix`` / ``conv:cur:<code>``: confirm, correct or pick the currency of
  a foreign amount (``states.amount_currency``);
* ``rcpt:read``: read the amount on the receipts sent at the amount question
  (``states.amount_receipts``);
* ``doc:<action>:<document>``: act on one document of « Mes documents » (``states.my_documents``:
  open, remove and confirm, replace or not, change its category);
* ``rem:<action>:<claim number>``: a button of a reminder or of ``/rappels``
  (``states.reminder_actions``: resume, later, stop, start, the follow-up's answers…).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_PAYLOAD_BYTES = 64
"""Telegram's ``callback_data`` limit (``InlineKeyboardButtonLimit.MAX_CALLBACK_DATA``)."""


class Kind(StrEnum):
    """What a pressed button does."""

    ANSWER = "a"
    SUGGESTION = "sugg"
    NAV = "nav"
    EDIT = "edit"
    WHY = "why"
    CATEGORY = "cat"
    CERTIFY = "crt"
    PACK = "pack"
    FIX = "fix"
    CONVERT = "conv"
    RECEIPTS = "rcpt"
    DOCUMENT = "doc"
    REMINDER = "rem"


@dataclass(frozen=True)
class Payload:
    """A parsed payload: its kind and up to two arguments."""

    kind: Kind
    first: str = ""
    second: str = ""


def build(kind: Kind, first: str, second: str | None = None) -> str:
    """Return the payload string for ``kind`` and its arguments."""
    text = f"{kind.value}:{first}" if second is None else f"{kind.value}:{first}:{second}"
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"payload over {MAX_PAYLOAD_BYTES} bytes: {text[:20]}…")
    return text


def answer(question_id: str, choice_id: str) -> str:
    """Return the payload of one choice of a question."""
    return build(Kind.ANSWER, question_id, choice_id)


def nav(action: str) -> str:
    """Return the payload of a command or screen action."""
    return build(Kind.NAV, action)


def conversion(action: str, currency: str | None = None) -> str:
    """Return the payload of a button of a foreign amount's conversion."""
    return build(Kind.CONVERT, action, currency)


def document(action: str, doc_id: str) -> str:
    """Return the payload of an action on one document (« Mes documents »)."""
    return build(Kind.DOCUMENT, action, doc_id)


def reminder(action: str, claim_no: int) -> str:
    """Return the payload of a reminder's button, about claim ``claim_no`` of the chat."""
    return build(Kind.REMINDER, action, str(claim_no))


def why(rule_ids: list[str]) -> str:
    """Return the payload explaining ``rule_ids``, dropping the last ones that do not fit."""
    kept = list(rule_ids)
    while len(kept) > 1 and len(f"why:{','.join(kept)}".encode()) > MAX_PAYLOAD_BYTES:
        kept.pop()
    return build(Kind.WHY, ",".join(kept))


def parse(payload: str) -> Payload | None:
    """Read a pressed payload; None when it is not one the bot writes."""
    kind_text, _, rest = payload.partition(":")
    try:
        kind = Kind(kind_text)
    except ValueError:
        return None
    # Question ids hold dots, never colons: the first colon after the kind splits the rest.
    first, _, second = rest.partition(":")
    return Payload(kind, first, second)
