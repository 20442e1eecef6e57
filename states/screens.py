"""Every state that is not a question, as data: ``SCREENS[state]``.

Adding a screen: a ``states/screen_<name>.py`` module declaring a ``Screen`` (its prompt, what
typed text does there, its buttons), one row here, and its state in ``states.machine``.
"""

from __future__ import annotations

from states import (
    handoff,
    screen_documents,
    screen_done,
    screen_ended,
    screen_summary,
    screen_welcome,
)
from states.view import Screen

SCREENS: dict[str, Screen] = {
    screen.state: screen
    for screen in (
        screen_welcome.SCREEN,
        screen_documents.SCREEN,
        screen_summary.SCREEN,
        screen_done.SCREEN,
        screen_ended.CANCELLED_SCREEN,
        screen_ended.BLOCKED_SCREEN,
        handoff.SCREEN,
    )
}
