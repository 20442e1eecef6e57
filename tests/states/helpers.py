"""Helpers for engine tests: replay a script up to a question, read the saved state."""

from __future__ import annotations

from states.snapshot import FlowSnapshot
from tests import claims
from tests.fakes.users import ScriptedUser


async def snapshot_of(user: ScriptedUser) -> FlowSnapshot:
    """Return the saved state of the user's chat."""
    raw = await user.service._repository.load(user.chat_id)
    assert raw is not None
    return FlowSnapshot.model_validate_json(raw)


async def play(user: ScriptedUser, script: list[claims.Step], *, until: str | None = None) -> None:
    """Replay ``script`` from /start, stopping when question ``until`` is being asked."""
    await user.send("/start")
    for action, value in script:
        if until and (await snapshot_of(user)).state == until:
            return
        if action == "press":
            await user.press(value)
        else:
            await user.send(value)
        assert "Je n'ai pas compris" not in user.text, (value, user.text)
    if until:
        assert (await snapshot_of(user)).state == until
