"""The kill loop (issue 18, point 1): SIGKILL ``python -m bot`` at every step of a claim.

Long polling: the bot is killed at its first Bot API call of each step of the Pologne
claim (every state, a photo's conversion, an album, the pack), then restarted on the
same store. A webhook: killed during a conversion, during an album's collection wait,
between the two parts of a reply, and during the final pack; Telegram posts the update
again until answered. Each time the step's answer arrives after the restart, once: no
reply lost, none sent twice, and the claim ends with its PDFs, each once.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.adapters.claim_script import DOCUMENTS_STEP, POLOGNE
from tests.adapters.test_telegram_conversation import play
from tests.adapters.test_telegram_http import free_port, server
from tests.fakes.telegram_user import RemoteTelegramUser
from tests.reliability.kills import KilledBot, until

SECRET = "kill-loop-secret"  # noqa: S105 (the fake webhook's)
TWO_PARTS = next(i for i, step in enumerate(POLOGNE) if step[1] == "NATHALIE")
"""The first name's answer is two messages: « ✔️ NATHALIE » then the next question."""
ALBUM = next(i for i, step in enumerate(POLOGNE) if step[0] == "album")

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


async def test_a_webhook_bot_killed_at_four_points_delivers_everything_once(server, tmp_path):
    port = free_port()
    server.deliver_to(f"http://127.0.0.1:{port}/telegram/{SECRET}", SECRET)
    user = RemoteTelegramUser(server, wait=40.0)
    bot = KilledBot(server, tmp_path, WEBHOOK_URL=f"http://127.0.0.1:{port}",
                    WEBHOOK_SECRET=SECRET, PORT=str(port), ALBUM_DELAY_SECONDS="1.5")
    try:
        for index, (action, argument, expected) in enumerate(POLOGNE):
            step = play(user, action, argument)
            if index == TWO_PARTS:  # the first part shown, the second not yet
                await bot.kill_during(step, ("sendMessage",), nth=2)
            elif index == DOCUMENTS_STEP:  # "uploading…" while the photo is converted
                await bot.kill_during(step, ("sendChatAction",))
            elif index == ALBUM:  # both items held, their quiet time not over
                taken = server.answered + int(argument)
                doing = asyncio.ensure_future(step)
                await until(lambda taken=taken: server.answered >= taken)
                bot.kill()
                await doing
            elif index == len(POLOGNE) - 1:  # the pack's files
                await bot.kill_during(step, ("sendDocument", "sendMediaGroup"))
                await until(lambda: user.documents, seconds=30)  # from the restarted bot
                await asyncio.sleep(1.0)  # and no second copy
            else:
                await step
            answer = user.texts
            assert expected in "\n".join(answer), (action, argument, answer)
            assert not _twice(answer), (action, argument, answer)
        names = [name for name, _ in user.documents]
        assert names and not _twice(names)
        assert bot.kills == 4
    finally:
        bot.stop()
