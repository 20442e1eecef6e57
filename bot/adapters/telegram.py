"""Telegram adapter: turn updates into engine inputs and engine replies into messages.

The engine owns the conversation state; this module only translates. Each chat's updates
are handled one at a time, in order (``ChatLocks``); different chats run concurrently.

Usage:
    application = build_application(settings, service)
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import traceback
from collections.abc import Coroutine
from typing import Any, Protocol

from telegram import BotCommand, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.adapters.telegram_albums import AlbumCollector, ChatLocks
from bot.adapters.telegram_files import FileRefused, read_upload, refuse_early
from bot.adapters.telegram_render import chat_action, settle_pressed
from bot.adapters.telegram_retry import Delivery, FloodControl
from bot.domain.catalog import get_catalog
from bot.domain.intents import menu_commands, slash_commands
from bot.domain.io import Album, Command, Edit, Press, Reply, Text, Upload, UserInput
from bot.domain.sender import Sender
from bot.outbox import TURN, Outbox, of_turn
from bot.settings import Settings
from bot.storage.repository import AlbumStore

_LOGGER = logging.getLogger(__name__)

BotApplication = Application[Any, Any, Any, Any, Any, Any]
"""The application ``build_application`` makes (its context types are PTB's defaults)."""

# Answers that only move the conversation on are quick; show "typing…" only if one lingers.
_TYPING_DELAY_SECONDS = 0.8
OUTBOX_POLL_SECONDS = 1.0
"""How often entries no turn delivers (posts, retries, a dead worker's) are looked for."""
# Entries of one chat delivered in a row before its turn goes on (a bound, never reached).
_MAX_WAITING = 20


class ConversationPort(Protocol):
    """What the adapter needs from the engine (``bot.service.ConversationService``)."""

    async def handle(
        self, chat_id: str, user_input: UserInput, *, event_id: str | None = None,
        language: str | None = None, sender: Sender | None = None,
    ) -> list[Reply]:
        """Apply one input to the chat's claim and return the replies to show."""
        ...

    async def language(self, chat_id: str) -> str:
        """Return the language the chat's conversation is in."""
        ...

    async def live_message_shown(self, chat_id: str, ref: str) -> None:
        """Remember the message now showing the chat's live reply (its id in the chat)."""
        ...

    @property
    def albums(self) -> AlbumStore:
        """Where album items wait for their album (the conversations' store)."""
        ...

    @property
    def outbox(self) -> Outbox:
        """What the bot has to say until it reached the user (the conversations' store)."""
        ...


def event_id(update: Update) -> str:
    """Name the update for the engine, so a redelivered update is handled once."""
    return f"tg:{update.update_id}"


def _language_code(update: Update) -> str | None:
    """Return the user's Telegram language (``fr``, ``en``…), which a new claim starts in."""
    user = update.effective_user
    return user.language_code if user is not None else None


def _sender(update: Update) -> Sender:
    """Return who wrote: Telegram, and the sender's username (kept for the console)."""
    user = update.effective_user
    return Sender.telegram(user.username if user is not None else None)


def webhook_secret(settings: Settings) -> str:
    """Return the webhook secret: the configured one, or one derived from the token."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    if settings.telegram_bot_token is None:
        raise ValueError("a webhook needs TELEGRAM_BOT_TOKEN")
    token = settings.telegram_bot_token.get_secret_value()
    return hashlib.sha256(b"webhook:" + token.encode()).hexdigest()[:32]


def shared_throttle(settings: Settings) -> AIORateLimiter:
    """Throttle this process to its share of the Bot API's limits, split among the workers.

    Each worker sends 1/N of the global rate (and of the 20 per minute per group, though
    groups are ignored): together they stay within Telegram's limits without talking to
    each other. A chat's messages come from one worker at a time (its turn's lock).
    """
    workers = settings.web_concurrency
    rate = settings.bot_api_max_rate / workers
    return AIORateLimiter(overall_max_rate=rate, overall_time_period=1,
                          group_max_rate=20 / workers, max_retries=0)


class TelegramChat:
    """The handlers: one per kind of update, each a thin call to the engine."""

    def __init__(self, service: ConversationPort, application: BotApplication, *,
                 album_delay: float, language: str = "fr") -> None:
        self._service = service
        self._app = application
        self._language = language
        self._locks = ChatLocks()
        self._outbox = service.outbox
        self._delivery = Delivery(service.outbox)
        self._posts: asyncio.Task[None] | None = None
        self._albums = AlbumCollector(
            album_delay, self._locks, self._deliver_album, self._spawn, lambda: service.albums
        )

    def _spawn(self, coroutine: Coroutine[Any, Any, None], update: object) -> object:
        # Through the application, so stop() waits for it and its errors reach on_error.
        return self._app.create_task(coroutine, update=update)

    async def _turn(self, chat_id: int, user_input: UserInput, event: str,
                    action: ChatAction = ChatAction.TYPING, language: str | None = None,
                    sender: Sender | None = None) -> None:
        """Hand one input to the engine and send back what it says, after any pending album."""
        async with self._locks.hold(chat_id):
            await self._albums.flush(chat_id)
            await self._ask_engine(chat_id, user_input, event, action, language, sender)

    async def _ask_engine(self, chat_id: int, user_input: UserInput, event: str,
                          action: ChatAction, language: str | None = None,
                          sender: Sender | None = None) -> None:
        """Deliver what the chat still waits for, then the engine's answer to ``user_input``."""
        if await self._deliver_waiting(chat_id, event) and isinstance(user_input, Text):
            return  # the last question never reached the user, so this text cannot answer it
        delay = 0.0 if action is ChatAction.UPLOAD_DOCUMENT else _TYPING_DELAY_SECONDS
        async with chat_action(self._app.bot, chat_id, action, delay=delay):
            replies = await self._service.handle(str(chat_id), user_input, event_id=event,
                                                 language=language, sender=sender)
        if replies:  # none: a redelivered update, whose entry ``_deliver_waiting`` sent
            await self._delivery.send(self._app.bot, chat_id,
                                      of_turn(str(chat_id), event, replies), event,
                                      on_live=functools.partial(self._live_shown, chat_id))

    async def _deliver_waiting(self, chat_id: int, event: str | None = None) -> bool:
        """Deliver the chat's entries still in the outbox; tell whether a turn's was one.

        ``event``: that update came again, so its entry is taken even if a worker held it.
        """
        turn_waited = False
        for _ in range(_MAX_WAITING):
            entries = await self._outbox.take(str(chat_id), event_id=event)
            if not entries:
                break
            turn_waited = turn_waited or entries[0].kind == TURN
            if not await self._delivery.send(
                    self._app.bot, chat_id, entries[0], event or "outbox",
                    on_live=functools.partial(self._live_shown, chat_id)):
                break
        return turn_waited

    async def deliver_posts(self) -> None:
        """Deliver, every second, what no turn is delivering: posts (an agent, a reminder),
        replies whose delivery failed, and those a dead worker left; and the albums a dead
        worker left (after a restart, no new message needs to come first)."""
        while True:
            try:
                await self._albums.sweep()
                for entry in await self._outbox.take():
                    chat_id = int(entry.chat_id)
                    async with self._locks.hold(chat_id):
                        if await self._delivery.send(
                                self._app.bot, chat_id, entry, "outbox",
                                on_live=functools.partial(self._live_shown, chat_id)):
                            await self._deliver_waiting(chat_id)
            except Exception as error:  # the store or the API is down: the next round retries
                _LOGGER.warning("outbox round failed (%s)", type(error).__name__)
            await asyncio.sleep(OUTBOX_POLL_SECONDS)

    async def start_posts(self, application: BotApplication) -> None:
        """Start delivering posts (``post_init``), after publishing the command menu."""
        await _publish_commands(application)
        if self._posts is None:
            self._posts = asyncio.get_running_loop().create_task(self.deliver_posts())

    async def stop_posts(self, _: BotApplication) -> None:
        """Stop delivering posts (``post_stop``); what is left is delivered after a restart."""
        if self._posts is not None:
            self._posts.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._posts
            self._posts = None

    async def _live_shown(self, chat_id: int, message_id: int) -> None:
        try:
            await self._service.live_message_shown(str(chat_id), str(message_id))
        except Exception as error:  # the next change then shows a new message: nothing is lost
            _LOGGER.warning("live message id not kept (%s)", type(error).__name__)

    async def _deliver_album(self, chat_id: int, event: str, uploads: list[Upload],
                             refusals: list[str]) -> None:
        for refusal in refusals:
            await self._app.bot.send_message(chat_id, refusal)
        if uploads:
            album = Album(items=tuple(uploads))
            await self._ask_engine(chat_id, album, event, ChatAction.UPLOAD_DOCUMENT)

    async def on_command(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Pass a known command (French or English) to the engine; an unknown one asks help."""
        if (message := update.effective_message) is None or message.text is None:
            return
        word = message.text.split()[0].lstrip("/").split("@")[0].lower()
        name = slash_commands().get(word, "help")
        await self._turn(message.chat_id, Command(name), event_id(update),
                         language=_language_code(update), sender=_sender(update))

    async def on_text(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Pass a typed answer to the engine."""
        if (message := update.effective_message) is None or message.text is None:
            return
        await self._turn(message.chat_id, Text(message.text, str(message.message_id)),
                         event_id(update), language=_language_code(update),
                         sender=_sender(update))

    async def on_edit(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Pass an edited text on: the engine offers it as a correction of that answer."""
        if (message := update.edited_message) is None or message.text is None:
            return
        await self._turn(message.chat_id, Edit(message.text, str(message.message_id)),
                         event_id(update), sender=_sender(update))

    async def on_press(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Freeze the pressed keyboard with the choice visible, then pass the press on."""
        query = update.callback_query
        if query is None or (chat := update.effective_chat) is None:
            return
        try:
            await settle_pressed(query, self._language)
        except TelegramError as error:
            # Only the keyboard's look is lost; the press itself still counts.
            _LOGGER.warning("update %s: button not settled (%s)", update.update_id,
                            type(error).__name__)
        await self._turn(chat.id, Press(query.data or ""), event_id(update),
                         sender=_sender(update))

    async def on_file(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Download a photo or document for the engine; album items wait for their siblings."""
        if (message := update.effective_message) is None:
            return
        if message.media_group_id is not None:
            # Held in the store before Telegram is answered: no item is lost with this worker.
            await self._albums.add(message, update,
                                   await self._service.language(str(message.chat_id)))
            return
        async with self._locks.hold(message.chat_id):
            await self._albums.flush(message.chat_id)
            await self._one_file(message, event_id(update), _sender(update))

    async def _one_file(self, message: Message, event: str, sender: Sender) -> None:
        bot = self._app.bot
        language = await self._service.language(str(message.chat_id))
        if (refused := refuse_early(message, language)) is not None:
            await bot.send_message(message.chat_id, refused.message)
            return
        try:
            async with chat_action(bot, message.chat_id, ChatAction.UPLOAD_DOCUMENT):
                upload = await read_upload(message, language)
        except FileRefused as refused_late:
            await bot.send_message(message.chat_id, refused_late.message)
            return
        await self._ask_engine(message.chat_id, upload, event, ChatAction.UPLOAD_DOCUMENT,
                               sender=sender)

    async def on_other(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Say which kinds of messages the bot understands (stickers, voice… are not)."""
        if (message := update.effective_message) is None:
            return
        async with self._locks.hold(message.chat_id):
            await self._albums.flush(message.chat_id)
            language = await self._service.language(str(message.chat_id))
            text = get_catalog(language).text("telegram.unsupported")
            await self._app.bot.send_message(message.chat_id, text)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure without personal data and apologise; the engine state is unchanged."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        # The exception message may quote the user's input: log the class and the frames only.
        frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
        _LOGGER.error("update %s failed with %s\n%s", update_id, type(error).__name__, frames)
        if isinstance(update, Update) and (chat := update.effective_chat) is not None:
            try:
                language = await self._service.language(str(chat.id))
                await context.bot.send_message(
                    chat.id, get_catalog(language).text("telegram.error")
                )
            except Exception as second:  # the apology is best effort
                _LOGGER.error("update %s: apology failed with %s", update_id,
                              type(second).__name__)


async def _private_chats_only(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop updates from groups, supergroups and channels, button presses included.

    A claim is personal: a press forged in a group must never reach a conversation.
    """
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        _LOGGER.info("update %s ignored: from a %s chat", update.update_id, chat.type)
        raise ApplicationHandlerStop


async def _publish_commands(application: BotApplication) -> None:
    """Register the command menu in French (the default) and in English (setMyCommands)."""
    for language, code in (("fr", None), ("fr", "fr"), ("en", "en")):
        catalog = get_catalog(language)
        commands = [BotCommand(word, catalog.text(f"telegram.commands.{name}"))
                    for word, name in menu_commands(language)]
        await application.bot.set_my_commands(commands, language_code=code)


def build_application(settings: Settings, service: ConversationPort, *,
                      request: BaseRequest | None = None) -> BotApplication:
    """Wire the handlers around ``service``; ``request`` replaces the HTTP client in tests."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .rate_limiter(FloodControl(throttle=shared_throttle(settings)))  # and waits out 429s
        .concurrent_updates(True)  # ChatLocks keeps each chat in order
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    chat = TelegramChat(service, application, album_delay=settings.album_delay_seconds)
    application.post_init = chat.start_posts
    application.post_stop = chat.stop_posts

    # Group -1 first: nothing from a non-private chat gets past it.
    application.add_handler(TypeHandler(Update, _private_chats_only), group=-1)
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    # Order matters: the first matching handler of the group wins.
    application.add_handler(CommandHandler(list(slash_commands()), chat.on_command, private))
    application.add_handler(MessageHandler(private & filters.COMMAND, chat.on_command))
    application.add_handler(MessageHandler(private & filters.TEXT, chat.on_text))
    application.add_handler(MessageHandler(
        filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE & filters.TEXT,
        chat.on_edit))
    application.add_handler(
        MessageHandler(private & (filters.PHOTO | filters.Document.ALL), chat.on_file)
    )
    application.add_handler(CallbackQueryHandler(chat.on_press))
    application.add_handler(MessageHandler(private, chat.on_other))
    application.add_error_handler(chat.on_error)
    return application
