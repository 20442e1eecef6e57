"""Finding 13: each certification is its own act (issue 18, point 7)."""

from __future__ import annotations

from tests import claims
from tests.states.helpers import play, snapshot_of


async def test_a_double_tap_ticks_only_the_box_pressed(user, repository):
    """Issue 18 (13): each box has its own payload; a repeated press is « déjà cochée »."""
    await play(user, claims.POLOGNE)
    await user.press("nav:docs_done")
    await user.press("nav:docs_continue")
    await user.press("crt:originals:oui")
    await user.press("crt:originals:oui")  # the second tap of a double tap
    assert "déjà cochée" in user.text
    snapshot = await snapshot_of(user)
    assert snapshot.draft.certified_originals and not snapshot.draft.certified_accuracy
    await user.press("nav:validate")
    assert await repository.ready_claims(user.chat_id) == []
