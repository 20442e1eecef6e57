"""The kill loop (issue 18, point 1): SIGKILL ``python -m bot`` at every step of a claim.

Long polling: the bot is killed at its first Bot API call of each step of the Pologne
claim (every state, a photo's conversion, an album, the pack), then restarted on the
same store. Each time the step's answer arrives after the restart, once: no reply lost,
none sent twice, and the claim ends with its PDFs, each once.
"""

from __future__ import annotations

from collections import Counter

from tests.adapters.claim_script import POLOGNE
from tests.adapters.test_telegram_conversation import play
from tests.adapters.test_telegram_http import server
from tests.fakes.telegram_user import RemoteTelegramUser
from tests.reliability.kills import KilledBot

__all__ = ["server"]  # the fixture


def _twice(texts: list[str]) -> list[str]:
    return [text for text, count in Counter(texts).items() if count > 1]


async def test_a_claim_killed_at_every_step_ends_whole_with_each_answer_once(server, tmp_path):
    user = RemoteTelegramUser(server, wait=40.0)
    bot = KilledBot(server, tmp_path)
    try:
        for action, argument, expected in POLOGNE:
            await bot.kill_during(play(user, action, argument))
            answer = user.texts
            assert expected in "\n".join(answer), (action, argument, answer)
            assert not _twice(answer), (action, argument, answer)
        names = [name for name, _ in user.documents]
        assert names and not _twice(names)
        assert bot.kills == len(POLOGNE)
        assert bot.stop() == 0
    finally:
        bot.stop()
