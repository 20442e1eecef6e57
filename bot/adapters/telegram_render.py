"""Render engine replies as Telegram messages, and keep a pressed choice visible.

A live reply (``Reply.live``, step 4's checklist) edits the message that shows it
(``editMessageText``); when that message cannot be edited any more (deleted, too old) or is
not known, it is sent anew and the new message's id is reported, to be edited next time.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from telegram import (
    Bot,
    CallbackQuery,
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
)
from telegram.constants import ChatAction, MessageLimit
from telegram.error import BadRequest

from bot.domain.catalog import get_catalog
from bot.domain.io import Reply

_LOGGER = logging.getLogger(__name__)

# Telegram shows a chat action for about 5 seconds; refresh a little before it fades.
_ACTION_REFRESH_SECONDS = 4.5


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Build the inline keyboard of ``reply``: one button a row, payload as callback data."""
    if not reply.buttons:
        return None
    rows = [
        [InlineKeyboardButton(button.label, copy_text=CopyTextButton(button.copy))
         if button.copy is not None
         else InlineKeyboardButton(button.label, callback_data=button.payload)]
        for button in reply.buttons
    ]
    return InlineKeyboardMarkup(rows)


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Cut ``text`` into messages Telegram accepts, preferring line breaks."""
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    if rest.strip():
        chunks.append(rest)
    return chunks


SendPart = Callable[[], Awaitable[object]]
"""One Bot API call showing part of a reply (a message or a file); safe to call again."""

LiveShown = Callable[[int], Awaitable[None]]
"""Told the id of a new message now showing the chat's live reply."""


def reply_parts(bot: Bot, chat_id: int, replies: Sequence[Reply],
                on_live: LiveShown | None = None) -> list[SendPart]:
    """List the calls showing ``replies`` in order: texts (buttons on the last), then files."""
    parts: list[SendPart] = []
    for reply in replies:
        chunks = split_text(reply.text)
        if reply.live is not None and len(chunks) == 1:
            parts.append(functools.partial(_show_live, bot, chat_id, reply, on_live))
            continue
        for index, chunk in enumerate(chunks):
            markup = keyboard(reply) if index == len(chunks) - 1 else None
            parts.append(functools.partial(bot.send_message, chat_id, chunk,
                                           reply_markup=markup))
        for attachment in reply.attachments:
            # A fresh InputFile each call: a retried upload must not reuse a consumed one.
            parts.append(functools.partial(_send_file, bot, chat_id, attachment.data,
                                           attachment.filename))
    return parts


async def _show_live(bot: Bot, chat_id: int, reply: Reply, on_live: LiveShown | None) -> None:
    """Edit the message showing the live reply; send it anew when that cannot be done."""
    markup = keyboard(reply)
    shown = reply.live.edit if reply.live is not None else None
    if shown is not None and shown.isdigit():
        try:
            await bot.edit_message_text(reply.text, chat_id=chat_id, message_id=int(shown),
                                        reply_markup=markup)
            return
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return  # it shows this already
            _LOGGER.info("live message not edited (%s): sent anew", type(error).__name__)
    message = await bot.send_message(chat_id, reply.text, reply_markup=markup)
    if on_live is not None:
        await on_live(message.message_id)


async def _send_file(bot: Bot, chat_id: int, data: bytes, filename: str) -> Message:
    return await bot.send_document(chat_id, InputFile(data, filename=filename))


async def send_replies(bot: Bot, chat_id: int, replies: Sequence[Reply]) -> None:
    """Send each reply in order: its text (buttons on the last part), then its files."""
    for part in reply_parts(bot, chat_id, replies):
        await part()


def chosen_label(message: Message, payload: str) -> str | None:
    """Find the visible label of the button carrying ``payload`` in ``message``'s keyboard."""
    markup = message.reply_markup
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == payload:
                return button.text
    return None


async def settle_pressed(query: CallbackQuery, language: str = "fr") -> None:
    """Answer ``query``, then freeze its message: the chosen label shown, the buttons gone."""
    await query.answer()
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    label = chosen_label(message, query.data or "")
    try:
        if label is not None and message.text:
            chosen = get_catalog(language).text("telegram.chosen", label=label)
            text = f"{message.text}\n\n{chosen}"
            if len(text) <= MessageLimit.MAX_TEXT_LENGTH:
                await message.edit_text(text, reply_markup=None)
                return
        await message.edit_reply_markup(reply_markup=None)
    except BadRequest as error:
        # Too old to edit or already edited (a double tap): the press still counts.
        _LOGGER.info("keyboard not removed: %s", type(error).__name__)


@contextlib.asynccontextmanager
async def chat_action(
    bot: Bot, chat_id: int, action: ChatAction, *, delay: float = 0.0
) -> AsyncIterator[None]:
    """Show ``action`` ("typing…") while the block runs, if it lasts longer than ``delay``."""

    async def _show() -> None:
        with contextlib.suppress(Exception):
            # A failed chat action only loses a hint; never fail the turn for it.
            await bot.send_chat_action(chat_id, action)

    async def _keep_showing() -> None:
        await asyncio.sleep(delay if delay > 0 else _ACTION_REFRESH_SECONDS)
        while True:
            await _show()
            await asyncio.sleep(_ACTION_REFRESH_SECONDS)

    if delay <= 0:
        await _show()
    task = asyncio.create_task(_keep_showing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
