"""A Telegram user for tests: sends real updates to the real ``Application`` and reads replies.

Each action builds the JSON Telegram would push (fresh update, message and file ids),
turns it into an ``Update`` with ``Update.de_json`` and feeds ``Application.process_update``.
Replies are read from the fake Bot API (``FakeTelegram``), as the phone would show them.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from telegram import Update
from telegram.ext import Application

from tests.fakes.bot_api import FakeTelegram


class TelegramUser:
    """One person chatting with the bot in a private chat."""

    def __init__(self, app: Application | None, telegram: FakeTelegram, *, chat_id: int = 777,
                 first_name: str = "Nathalie", album_wait: float = 30.0) -> None:
        self.app = app
        self.telegram = telegram
        self.chat_id = chat_id
        self.user = {"id": chat_id, "is_bot": False, "first_name": first_name,
                     "language_code": "fr"}
        self.album_wait = album_wait
        self._mark = 0
        self.last_sent_id = 0
        """The id of the last text this user sent (to edit it)."""

    # Sending ---------------------------------------------------------------------------
    def _message(self, **content: Any) -> dict[str, Any]:
        return {"message_id": self.telegram.next_id(), "date": int(time.time()),
                "chat": {"id": self.chat_id, "type": "private", "first_name": "Nathalie"},
                "from": self.user, **content}

    async def _push(self, body: dict[str, Any]) -> None:
        self._mark = len(self.telegram.calls)
        await self._deliver(body)

    async def _deliver(self, body: dict[str, Any]) -> None:
        """Hand one update to the bot and return once it has been handled."""
        if self.app is None:
            raise RuntimeError("no application to deliver to")
        update = Update.de_json({"update_id": self.telegram.next_id(), **body}, self.app.bot)
        await self.app.process_update(update)

    async def send(self, text: str) -> None:
        """Type ``text`` (``/start`` and other commands included) and send it."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        message = self._message(**content)
        self.last_sent_id = int(message["message_id"])
        await self._push({"message": message})

    async def edit(self, message_id: int, text: str) -> None:
        """Edit an earlier message of this user (Telegram sends an ``edited_message``)."""
        edited = {**self._message(text=text), "message_id": message_id,
                  "edit_date": int(time.time())}
        await self._push({"edited_message": edited})

    def _photo_sizes(self, data: bytes, sizes: list[tuple[int, int]]) -> list[dict[str, Any]]:
        """Describe one photo as Telegram does: several sizes, the largest last."""
        result = []
        for index, (width, height) in enumerate(sorted(sizes, key=lambda s: s[0] * s[1])):
            last = index == len(sizes) - 1
            content = data if last else b"thumbnail"
            file_id = self.telegram.store_file(content)
            result.append({"file_id": file_id, "file_unique_id": f"u{file_id}",
                           "width": width, "height": height, "file_size": len(content)})
        return result

    def _photo_message(self, data: bytes, sizes: list[tuple[int, int]] | None,
                       group: str | None) -> dict[str, Any]:
        content: dict[str, Any] = {"photo": self._photo_sizes(data, sizes or [(90, 120),
                                                                             (960, 1280)])}
        if group:
            content["media_group_id"] = group
        return self._message(**content)

    def _document_message(self, data: bytes, filename: str, mime: str | None,
                          size: int | None, group: str | None) -> dict[str, Any]:
        file_id = self.telegram.store_file(data)
        document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": filename,
                    "file_size": len(data) if size is None else size}
        if mime:
            document["mime_type"] = mime
        content: dict[str, Any] = {"document": document}
        if group:
            content["media_group_id"] = group
        return self._message(**content)

    async def send_photo(self, data: bytes, *, sizes: list[tuple[int, int]] | None = None) -> None:
        """Send a photo (compressed by Telegram: ``sizes`` are the sizes it offers)."""
        await self._push({"message": self._photo_message(data, sizes, None)})

    async def send_document(self, data: bytes, filename: str, *, mime: str | None = None,
                            size: int | None = None) -> None:
        """Send a file with the paperclip (``size`` overrides the announced file_size)."""
        message = self._document_message(data, filename, mime, size, None)
        await self._push({"message": message})

    async def send_album(self, items: list[bytes | tuple[bytes, str]]) -> None:
        """Send several photos (bytes) or files ((bytes, name)) at once, then await the answer."""
        group = f"album-{self.telegram.next_id()}"
        mark = len(self.telegram.calls)
        for item in items:
            if isinstance(item, bytes):
                message = self._photo_message(item, None, group)
            else:
                message = self._document_message(item[0], item[1], None, None, group)
            await self._push({"message": message})
        self._mark = mark
        await self.wait_for_reply()

    async def press(self, payload_or_label: str, *, message: dict[str, Any] | None = None) -> None:
        """Tap a button of the last keyboard, by label (exact, else a unique part) or payload."""
        message = message or self.last_keyboard_message
        if message is None:
            raise AssertionError("no keyboard on screen")
        payload = _find_payload(_buttons(message), payload_or_label)
        query = {"id": str(self.telegram.next_id()), "from": self.user,
                 "chat_instance": f"ci{self.chat_id}", "data": payload, "message": message}
        await self._push({"callback_query": query})

    async def wait_for_reply(self, quiet: float = 0.3) -> None:
        """Wait until the bot has answered and then stayed quiet for ``quiet`` seconds."""
        deadline = asyncio.get_running_loop().time() + self.album_wait
        seen = len(self.telegram.calls)
        quiet_since = asyncio.get_running_loop().time()
        while asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
            now = asyncio.get_running_loop().time()
            if len(self.telegram.calls) != seen:
                seen, quiet_since = len(self.telegram.calls), now
            elif self.texts and now - quiet_since >= quiet:
                return
        raise AssertionError("the bot did not answer in time")

    # Reading ---------------------------------------------------------------------------
    @property
    def texts(self) -> list[str]:
        """Texts the bot sent this chat since the user's last action."""
        return [call.params["text"] for call in self.telegram.calls[self._mark:]
                if call.method == "sendMessage"
                and str(call.params.get("chat_id")) == str(self.chat_id)]

    @property
    def last_text(self) -> str:
        """The last text the bot sent."""
        texts = [call.params["text"] for call in self.telegram.sent(self.chat_id, "sendMessage")]
        return texts[-1] if texts else ""

    @property
    def documents(self) -> list[tuple[str, bytes]]:
        """Files the bot sent since the user's last action, as (name, bytes)."""
        return [call.files["document"][:2] for call in self.telegram.calls[self._mark:]
                if call.method == "sendDocument"
                and str(call.params.get("chat_id")) == str(self.chat_id)]

    @property
    def last_keyboard_message(self) -> dict[str, Any] | None:
        """The newest message of this chat that still shows buttons."""
        mine = [m for (chat, _), m in self.telegram.messages.items()
                if chat == self.chat_id and m.get("reply_markup")]
        return mine[-1] if mine else None

    @property
    def last_buttons(self) -> list[tuple[str, str]]:
        """The buttons on screen, as (payload, label)."""
        message = self.last_keyboard_message
        return _buttons(message) if message else []

    def message(self, text_part: str) -> dict[str, Any]:
        """Return the newest bot message containing ``text_part`` (as the phone shows it now)."""
        for (chat, _), message in reversed(self.telegram.messages.items()):
            if chat == self.chat_id and text_part in message.get("text", ""):
                return message
        raise AssertionError(f"no message contains {text_part!r}")


def _buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    return [(button["callback_data"], button["text"])
            for row in markup.get("inline_keyboard", []) for button in row]


def _find_payload(buttons: list[tuple[str, str]], wanted: str) -> str:
    """Match a label exactly, else by a part of it (case-insensitive); else it is a payload."""
    for payload, label in buttons:
        if label == wanted:
            return payload
    partial = [payload for payload, label in buttons if wanted.lower() in label.lower()]
    if len(partial) > 1:
        raise AssertionError(f"{wanted!r} matches several buttons: {buttons}")
    return partial[0] if partial else wanted


class RemoteTelegramUser(TelegramUser):
    """The same user, talking to a bot process through ``BotApiServer`` (real HTTP)."""

    def __init__(self, server: Any, *, chat_id: int = 777, wait: float = 30.0) -> None:
        super().__init__(None, server.telegram, chat_id=chat_id, album_wait=wait)
        self.server = server

    async def _deliver(self, body: dict[str, Any]) -> None:
        """Queue the update for getUpdates; wait for the answer unless it is an album item."""
        self.server.push(body)
        if "media_group_id" not in body.get("message", {}):
            await self.wait_for_reply(quiet=0.5)
