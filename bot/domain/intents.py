"""Typed answers that act like a command or a button (``config/intents.toml``)."""

from __future__ import annotations

from functools import cache

from bot.domain.catalog import load_toml
from bot.domain.text import fold


@cache
def _intents() -> dict[str, dict[str, str]]:
    """Return, per context, the intent of each folded phrase."""
    return {
        context: {fold(phrase): intent for intent, phrases in table.items()
                  for phrase in phrases}
        for context, table in load_toml("intents.toml").items()
    }


def intent_of(text: str, context: str) -> str | None:
    """Return what a whole typed message means in ``context`` (``commands``, ``welcome``…)."""
    return _intents().get(context, {}).get(fold(text))
