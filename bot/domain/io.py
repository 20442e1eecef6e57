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
class Reply:
    """One message to show: text, optional buttons (one per row) and files."""

    text: str
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Text:
    """A typed message."""

    text: str


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


UserInput = Text | Press | Upload | Album | Command

