"""Value objects exchanged between the engine and the adapters (terminal, Telegram, tests).

Adapters translate their own messages into a ``UserInput`` and render each ``Reply``.
Nothing here knows about Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    """A choice offered to the user; ``payload`` comes back verbatim in a ``Press``.

    The payload is at most 64 bytes (Telegram's ``callback_data`` limit). A button with
    ``copy`` copies that text to the phone's clipboard instead (Telegram's copy button).
    """

    payload: str
    label: str
    copy: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file sent back to the user (compliant PDFs, the summary PDF)."""

    filename: str
    data: bytes
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Live:
    """Marks the reply that is the chat's live message (step 4's checklist), kept up to date.

    ``edit`` names the message showing it (as the adapter reported it): an adapter that can
    edits that message in place, else shows a new one and reports it; None: a new one.
    """

    edit: str | None = None


@dataclass(frozen=True)
class Reply:
    """One message to show: text, optional buttons (one per row) and files.

    ``live`` makes it the chat's live message, edited in place; ``erased`` says the chat's
    data was just erased: the adapter forgets the files it kept for the chat. ``person``: a
    person (an adviser) wrote it, not the bot; its text says so, and no adapter shows it as
    the bot's.
    """

    text: str
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    live: Live | None = None
    erased: bool = False
    person: bool = False


@dataclass(frozen=True)
class Text:
    """A typed message; ``ref`` names it in its chat (Telegram's message id), if known."""

    text: str
    ref: str | None = None


@dataclass(frozen=True)
class Edit:
    """A typed message the user changed afterwards: ``ref`` names the message edited."""

    text: str
    ref: str


@dataclass(frozen=True)
class Press:
    """A button pressed; ``payload`` is the ``Button.payload`` that was offered."""

    payload: str


@dataclass(frozen=True)
class Upload:
    """A file or photo sent by the user.

    ``group_id`` ties together the items of one album (Telegram ``media_group_id``).
    ``notices`` carries adapter-side remarks (e.g. a compressed photo), already in French.
    """

    data: bytes
    filename: str = ""
    mime: str | None = None
    group_id: str | None = None
    notices: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Album:
    """Several files sent together (a Telegram album), in the order the user chose."""

    items: tuple[Upload, ...]


@dataclass(frozen=True)
class Command:
    """A command such as ``start``, ``help``, ``back``, ``cancel``, ``summary``, ``delete``."""

    name: str


UserInput = Text | Edit | Press | Upload | Album | Command

