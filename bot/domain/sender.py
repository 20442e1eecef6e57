"""Who is writing, as the adapter that received the message knows it: channel and username.

The operator console shows the channel and finds a caller by their Telegram username. The
username is personal data: stored with the conversation (erased with it), never logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# Telegram usernames: 5 to 32 letters, digits and underscores (anything else is not one).
_USERNAME = re.compile(r"^[A-Za-z0-9_]{5,32}$")


class Channel(StrEnum):
    """Where a conversation takes place."""

    TELEGRAM = "telegram"
    TERMINAL = "terminal"


@dataclass(frozen=True)
class Sender:
    """The channel of a message and, on Telegram, the sender's username (None: has none)."""

    channel: Channel
    username: str | None = None

    @classmethod
    def telegram(cls, username: str | None) -> Sender:
        """Return a Telegram sender, keeping the username only if it has a username's shape."""
        kept = username if username and _USERNAME.match(username) else None
        return cls(Channel.TELEGRAM, kept)
