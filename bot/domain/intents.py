"""Typed answers that act like a command or a button (``config/intents.toml``)."""

from __future__ import annotations

from functools import cache

from bot.domain.config_files import intents_file
from bot.domain.text import fold


@cache
def _intents() -> dict[str, dict[str, str]]:
    """Return, per context, the intent of each folded phrase."""
    return {
        context: {fold(phrase): intent for intent, phrases in table.items()
                  for phrase in phrases}
        for context, table in intents_file().root.items() if context != "slash"
    }


@cache
def slash_commands() -> dict[str, str]:
    """Return ``Command.name`` by command word (``aide`` → ``help``), French and English."""
    return {word: name for name, words in intents_file().root["slash"].items() for word in words}


def menu_commands(language: str) -> list[tuple[str, str]]:
    """Return (word, ``Command.name``) as Telegram's menu shows them in ``language``.

    Each command's first word is French, its second English.
    """
    index = 1 if language == "en" else 0
    return [(words[min(index, len(words) - 1)], name)
            for name, words in intents_file().root["slash"].items()]


def intent_of(text: str, context: str) -> str | None:
    """Return what a whole typed message means in ``context`` (``commands``, ``welcome``…)."""
    return _intents().get(context, {}).get(fold(text))
