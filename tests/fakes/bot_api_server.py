"""The fake Bot API over real HTTP on 127.0.0.1, for running the unmodified bot process.

A Starlette app served by uvicorn in a background thread: ``POST /bot<token>/<method>``
is answered by ``FakeTelegram``; ``GET /file/bot<token>/<path>`` serves stored files;
``getUpdates`` long-polls a queue the test pushes updates into (with Telegram's offset
semantics, so an update the bot never confirmed is delivered again after a restart). After
``deliver_to(url, secret)``, updates are posted to the bot's webhook instead, each at once,
and posted again until the bot answers 200, as Telegram does.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.bot_api import Blocked, FakeTelegram, Refused, refusal, refusal_status

# Fields PTB sends JSON-encoded in form data; everything else is a plain string.
_JSON_FIELDS = {"reply_markup", "commands", "media", "allowed_updates", "scope"}
_INT_FIELDS = {"chat_id", "message_id", "offset", "timeout", "limit"}
# Answer an empty long poll early, so the bot and the server both stop quickly.
_MAX_POLL_SECONDS = 1.0
_WEBHOOK_RETRY_SECONDS = 0.2  # Telegram waits longer; the bot restarts in under two
_WEBHOOK_GIVE_UP_SECONDS = 60.0


class BotApiServer:
    """A loopback Bot API for one token; ``with BotApiServer(token) as server: ...``."""

    def __init__(self, token: str, telegram: FakeTelegram | None = None) -> None:
        self.token = token
        self.telegram = telegram or FakeTelegram()
        self._updates: list[dict[str, Any]] = []
        self._stalled: set[str] = set()
        self._webhook: tuple[str, str] | None = None
        self.answered = 0
        """Updates the bot's webhook answered 200 (it took them in)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self.stalled_calls: list[str] = []
        """Calls of a stalled method that arrived (and wait, unanswered)."""
        self._lock = threading.Lock()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        routes = [Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
                  Route("/file/bot{token}/{path:path}", self._file)]
        config = uvicorn.Config(Starlette(routes=routes), log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def base_url(self) -> str:
        """Value for TELEGRAM_API_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for TELEGRAM_API_BASE_FILE_URL."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def _serve(self) -> None:
        asyncio.run(self._serve_here())

    async def _serve_here(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self._server.serve(sockets=[self._socket])

    def __enter__(self) -> BotApiServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake Bot API did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    # Test side -------------------------------------------------------------------------
    def push(self, body: dict[str, Any]) -> int:
        """Queue an update (``body`` without update_id) for getUpdates; return its id."""
        with self._lock:
            update_id = self.telegram.next_id()
            update = {"update_id": update_id, **body}
            self._updates.append(update)
        if self._webhook is not None and self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._post(update, *self._webhook), self._loop)
        return update_id

    def deliver_to(self, url: str, secret: str) -> None:
        """Post updates to the webhook ``url`` from now on (with Telegram's secret header)."""
        self._webhook = (url, secret)

    async def _post(self, update: dict[str, Any], url: str, secret: str) -> None:
        """Post one update until the bot answers 200 (a bounded number of tries)."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        deadline = time.monotonic() + _WEBHOOK_GIVE_UP_SECONDS
        async with httpx.AsyncClient(timeout=_WEBHOOK_GIVE_UP_SECONDS) as client:
            while time.monotonic() < deadline and not self._server.should_exit:
                try:
                    answered = await client.post(url, json=update, headers=headers)
                except httpx.HTTPError:  # the bot is down (killed): try again
                    answered = None
                if answered is not None and answered.status_code == 200:
                    with self._lock:
                        self._updates.remove(update)
                        self.answered += 1
                    return
                await asyncio.sleep(_WEBHOOK_RETRY_SECONDS)

    def stall(self, *methods: str) -> None:
        """Leave every call of ``methods`` unanswered until ``resume`` (a slow Telegram).

        A stalled call whose bot died meanwhile never reaches Telegram.
        """
        self._stalled.update(methods)

    def resume(self, *methods: str) -> None:
        """Answer ``methods`` again (the calls stalled so far are answered too)."""
        self._stalled.difference_update(methods)

    def pending(self) -> int:
        """Count the updates the bot has not confirmed yet."""
        with self._lock:
            return len(self._updates)

    # Server side -----------------------------------------------------------------------
    async def _params(self, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes, str]] = {}
        if request.headers.get("content-type", "").startswith("application/json"):
            return await request.json(), files
        form = await request.form()
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read()
                files[key] = (value.filename or key, data,
                              value.content_type or "application/octet-stream")
            elif key in _JSON_FIELDS:
                params[key] = json.loads(value)
            elif key in _INT_FIELDS and value.lstrip("-").isdigit():
                params[key] = int(value)
            else:
                params[key] = value
        return params, files

    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401,
                                 "description": "Unauthorized"}, status_code=401)
        method = request.path_params["method"]
        params, files = await self._params(request)
        if method in self._stalled:
            self.stalled_calls.append(method)
            while method in self._stalled and not self._server.should_exit:
                await asyncio.sleep(0.02)
            if await request.is_disconnected():
                return Response(status_code=499)  # its bot was killed: nothing was sent
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await self._get_updates(params)})
        try:
            result = self.telegram.answer(method, params, files)
        except (KeyError, AttributeError, Refused, Blocked) as error:
            return JSONResponse(refusal(error), status_code=refusal_status(error))
        return JSONResponse({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), _MAX_POLL_SECONDS)
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                # An offset confirms (and forgets) every earlier update, as on Telegram.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = list(self._updates[: int(params.get("limit") or 100)])
            if ready or time.monotonic() >= deadline or self._server.should_exit:
                return ready
            await asyncio.sleep(0.02)

    async def _file(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        try:
            data = self.telegram.download(request.path_params["path"])
        except KeyError:
            return Response(status_code=404)
        return Response(data, media_type="application/octet-stream")

