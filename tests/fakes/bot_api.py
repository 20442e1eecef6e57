"""A fake Telegram Bot API: enough of Telegram's server to run the bot offline.

``FakeTelegram`` keeps the server side (the bot's sent messages, stored files, queued
updates) and answers Bot API methods with well-formed JSON. ``FakeBotApi`` plugs it into
python-telegram-bot as a ``BaseRequest`` (like PTB's ``OfflineRequest`` or httpx's
``MockTransport``); ``bot_api_server`` serves the same object over loopback HTTP.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 4242
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Soins étranger",
            "username": "soins_etranger_test_bot", "can_join_groups": False,
            "can_read_all_group_messages": False, "supports_inline_queries": False}


class Refused(Exception):
    """A call Telegram refuses with 400 and this description (``Bad Request: …``)."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class Blocked(Exception):
    """A call to a chat whose user blocked the bot: Telegram answers 403 Forbidden."""


def refusal(error: Exception) -> dict[str, Any]:
    """Return the body Telegram answers a refused call with."""
    if isinstance(error, Blocked):
        return {"ok": False, "error_code": 403,
                "description": "Forbidden: bot was blocked by the user"}
    description = error.description if isinstance(error, Refused) else "Bad Request: fake"
    return {"ok": False, "error_code": 400, "description": description}


def refusal_status(error: Exception) -> int:
    """Return the HTTP status of a refused call (403 for a blocked bot, else 400)."""
    return 403 if isinstance(error, Blocked) else 400


@dataclass
class ApiCall:
    """One Bot API request the bot made: method, parameters and uploaded files."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)


class FakeTelegram:
    """Telegram's side of the conversation, answering Bot API methods."""

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}
        self.blocked_by: set[int] = set()
        """Chats whose user blocked the bot: sending them anything is refused (403)."""
        self._ids = itertools.count(10_000)

    # Test side -------------------------------------------------------------------------
    def next_id(self) -> int:
        """Return a fresh id (messages, files, updates) never used before."""
        return next(self._ids)

    def store_file(self, data: bytes) -> str:
        """Keep ``data`` as a Telegram file and return its file_id."""
        file_id = f"file-{self.next_id()}"
        self.files[file_id] = data
        return file_id

    def sent(self, chat_id: int, method: str | None = None) -> list[ApiCall]:
        """Return the calls addressed to ``chat_id`` (optionally only one method)."""
        return [call for call in self.calls
                if str(call.params.get("chat_id")) == str(chat_id)
                and (method is None or call.method == method)]

    # Server side -----------------------------------------------------------------------
    def answer(self, method: str, params: dict[str, Any],
               files: dict[str, tuple[str, bytes, str]]) -> Any:
        """Answer one Bot API call, as Telegram would; raise ``KeyError`` if unknown."""
        self.calls.append(ApiCall(method, params, files))
        if method.startswith("send") and int(params.get("chat_id") or 0) in self.blocked_by:
            raise Blocked(method)
        handler: Callable[[dict[str, Any], dict[str, tuple[str, bytes, str]]], Any]
        handler = getattr(self, f"_m_{method.lower()}")
        return handler(params, files)

    def download(self, file_path: str) -> bytes:
        """Serve a file's bytes, as ``/file/bot<token>/<file_path>`` does."""
        return self.files[file_path.rsplit("/", 1)[-1]]

    def _message(self, chat_id: Any, **content: Any) -> dict[str, Any]:
        message = {"message_id": self.next_id(), "date": int(time.time()),
                   "chat": {"id": int(chat_id), "type": "private"}, "from": BOT_USER,
                   **content}
        self.messages[(int(chat_id), message["message_id"])] = message
        return message

    def _m_getme(self, params: dict[str, Any], files: Any) -> Any:
        return BOT_USER

    def _m_sendmessage(self, params: dict[str, Any], files: Any) -> Any:
        content: dict[str, Any] = {"text": params["text"]}
        if params.get("reply_markup"):
            content["reply_markup"] = params["reply_markup"]
        return self._message(params["chat_id"], **content)

    def _edit(self, params: dict[str, Any], **changes: Any) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:  # deleted by the user, or never sent
            raise Refused("Bad Request: message to edit not found")
        message = self.messages[key]
        if all(message.get(name) == value for name, value in changes.items()) and (
                message.get("reply_markup") == (params.get("reply_markup") or None)):
            raise Refused("Bad Request: message is not modified: specified new message content "
                          "and reply markup are exactly the same as a current content and "
                          "reply markup of the message")
        message.update(changes, edit_date=int(time.time()))
        if not params.get("reply_markup"):
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = params["reply_markup"]
        return message

    def _m_editmessagetext(self, params: dict[str, Any], files: Any) -> Any:
        return self._edit(params, text=params["text"])

    def _m_editmessagereplymarkup(self, params: dict[str, Any], files: Any) -> Any:
        return self._edit(params)

    def _true(self, params: dict[str, Any], files: Any) -> Any:
        return True

    _m_answercallbackquery = _m_sendchataction = _m_setmycommands = _true
    _m_deletewebhook = _m_setwebhook = _m_deletemycommands = _true

    def _document(self, name: str, data: bytes, mime: str) -> dict[str, Any]:
        file_id = self.store_file(data)
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
                "mime_type": mime, "file_size": len(data)}

    def _m_senddocument(self, params: dict[str, Any], files: Any) -> Any:
        name, data, mime = files["document"]
        return self._message(params["chat_id"], document=self._document(name, data, mime))

    def _m_sendmediagroup(self, params: dict[str, Any], files: Any) -> Any:
        media = params["media"]
        media = json.loads(media) if isinstance(media, str) else media
        group = f"g{self.next_id()}"
        sent = []
        for item in media:
            name, data, mime = files[str(item["media"]).removeprefix("attach://")]
            sent.append(self._message(params["chat_id"], media_group_id=group,
                                      document=self._document(name, data, mime)))
        return sent

    def _m_getfile(self, params: dict[str, Any], files: Any) -> Any:
        file_id = params["file_id"]
        data = self.files[file_id]
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(data),
                "file_path": f"documents/{file_id}"}

    def _m_getupdates(self, params: dict[str, Any], files: Any) -> Any:
        # Only the HTTP server long-polls (see bot_api_server); in process there are none.
        return []


def _files_of(request_data: RequestData | None) -> dict[str, tuple[str, bytes, str]]:
    files: dict[str, tuple[str, bytes, str]] = {}
    if request_data is None or not request_data.contains_files:
        return files
    for part, value in request_data.multipart_data.items():
        name, content, mime = value[0], value[1], value[2]
        data = content if isinstance(content, bytes) else content.read()  # type: ignore[union-attr]
        files[part] = (name or part, data, mime or "application/octet-stream")
    return files


class FakeBotApi(BaseRequest):
    """A ``BaseRequest`` that never touches the network and lets ``FakeTelegram`` answer."""

    def __init__(self, telegram: FakeTelegram | None = None) -> None:
        self.telegram = telegram or FakeTelegram()

    @property
    def read_timeout(self) -> float | None:
        """Return the default read timeout (irrelevant offline)."""
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Answer ``url`` from the fake server state."""
        if "/file/bot" in url:
            try:
                return 200, self.telegram.download(url.split("/file/bot", 1)[1].split("/", 1)[1])
            except KeyError:
                return 404, b"Not Found"
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        try:
            result = self.telegram.answer(api_method, params, _files_of(request_data))
        except (KeyError, AttributeError, Refused, Blocked) as error:
            return refusal_status(error), json.dumps(refusal(error)).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()
