"""Messages the bot writes first (reminders), sent outside any update's turn.

The same rendering and retries as a turn's replies (``telegram_render``, ``telegram_retry``);
a 403 (the user blocked the bot) becomes ``RecipientGone``, which stops their reminders.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot
from telegram.error import Forbidden

from bot.adapters import telegram_retry
from bot.adapters.telegram_render import reply_parts
from bot.adapters.telegram_retry import RetryPolicy, call_with_retries
from bot.domain.io import RecipientGone, Reply
from bot.reminders import Deliver


def outbound(bot: Bot, policy: RetryPolicy | None = None) -> Deliver:
    """Return how reminders reach a Telegram chat through ``bot``."""

    async def deliver(chat_id: str, replies: Sequence[Reply]) -> None:
        # Idempotent: the application may not have started the bot yet (a due backlog).
        await bot.initialize()
        try:
            for part in reply_parts(bot, int(chat_id), replies):
                await call_with_retries(part, policy or telegram_retry.DEFAULT_POLICY,
                                        "reminder")
        except Forbidden as error:
            raise RecipientGone(chat_id) from error

    return deliver
