"""The terminal chat shows a reminder like any reply: its text and numbered buttons."""

from __future__ import annotations

import io

from bot.adapters.console import console_outbound
from bot.reminders import send_due_reminders
from tests import claims
from tests.states.helpers import play


async def test_a_nudge_is_printed_in_the_terminal(user, service, moment):
    await play(user, claims.POLOGNE, until="stay.country")
    out = io.StringIO()
    moment.advance(days=1)
    assert await send_due_reminders(service, console_outbound(out), moment()) == 1
    printed = out.getvalue()
    assert "n'est pas finie" in printed and "1. ▶️ Reprendre" in printed
