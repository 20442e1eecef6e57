"""Survive a flaky Bot API: retry what can be retried, then give up without losing the turn.

Two layers, each where python-telegram-bot expects it:

* ``FloodControl`` is the application's rate limiter. It throttles like ``AIORateLimiter``
  (which it wraps, with its own retries off) and answers ``RetryAfter`` (HTTP 429) by
  pausing every request for ``retry_after`` seconds, then retrying; a wait longer than
  ``RetryPolicy.max_retry_after`` is not worth holding a turn for, so it gives up at once.
  PTB's rate-limiter contract says to handle ``RetryAfter`` only, so timeouts are left to…
* ``Delivery``, which sends a turn's replies one Bot API call at a time and retries a
  ``TimedOut`` or a network / 5xx ``NetworkError`` with a short exponential backoff. If a
  call still fails, the engine has already saved the turn: the unsent parts are kept and
  shown before anything else when the chat writes next, and the failure is logged with the
  update id and the error class only. Nothing is raised into PTB, whose error handler would
  apologise and ask the user to resend an answer the engine already took.

Retrying a timed-out ``sendMessage`` may, rarely, show a message twice (Telegram may have
received it before the connection dropped); a duplicated question is better than none.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.adapters.telegram_render import LiveShown, SendPart, reply_parts
from bot.domain.io import Reply
from bot.observability.metrics import counted_api_call

_LOGGER = logging.getLogger(__name__)

# Hints that are stale by the time a retry would land: one attempt only.
_NO_RETRY_ENDPOINTS = frozenset({"sendChatAction"})
# Chats whose unsent replies are kept; beyond, the oldest are forgotten (their next message
# then goes straight to the engine, which re-asks when the answer does not fit).
_MAX_PENDING_CHATS = 500


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one Bot API call before giving up."""

    attempts: int = 3
    """Calls in all, the first included."""
    backoff: float = 0.5
    """Seconds before the second attempt after a timeout or 5xx; doubled each time."""
    max_retry_after: float = 30.0
    """Longest flood-control wait (429) worth holding a turn for."""


DEFAULT_POLICY = RetryPolicy()
"""The policy ``build_application`` uses (tests swap it for one with tiny delays)."""


def retry_after_seconds(error: RetryAfter) -> float:
    """Return how long Telegram asked to wait, in seconds."""
    with warnings.catch_warnings():
        # PTB 22 warns that the int becomes a timedelta later; both are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def is_transient(error: BaseException) -> bool:
    """Tell whether a failed call may succeed if made again (timeouts, network, 5xx)."""
    # BadRequest is a NetworkError in PTB, but the same request will always be refused.
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


class FloodControl(BaseRateLimiter[int]):
    """Throttle like ``AIORateLimiter``; on a 429, pause all requests, then retry (bounded)."""

    def __init__(self, policy: RetryPolicy | None = None, *,
                 throttle: BaseRateLimiter[int] | None = None) -> None:
        self._policy = policy
        # Retries are ours: PTB's would wait any retry_after, however long, without a cap.
        self._throttle = throttle or AIORateLimiter(max_retries=0)
        self._resume_at = 0.0

    @property
    def policy(self) -> RetryPolicy:
        """Return the policy in force (``DEFAULT_POLICY`` unless one was given)."""
        return self._policy or DEFAULT_POLICY

    async def initialize(self) -> None:
        """Start the throttle."""
        await self._throttle.initialize()

    async def shutdown(self) -> None:
        """Stop the throttle."""
        await self._throttle.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Make the call through the throttle, waiting out flood control between attempts."""
        callback = counted_api_call(callback, endpoint)  # each attempt, on /metrics
        loop = asyncio.get_running_loop()
        policy = self.policy
        attempts = 1 if endpoint in _NO_RETRY_ENDPOINTS else max(policy.attempts, 1)
        for attempt in range(1, attempts + 1):
            if (pause := self._resume_at - loop.time()) > 0:
                await asyncio.sleep(pause)
            try:
                return await self._throttle.process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except RetryAfter as error:
                wait = retry_after_seconds(error)
                if attempt == attempts or wait > policy.max_retry_after:
                    _LOGGER.warning("%s: flood control (%.0f s) after %d attempt(s), giving up",
                                    endpoint, wait, attempt)
                    raise
                _LOGGER.info("%s: flood control, retrying in %.2f s", endpoint, wait)
                # Flood control holds for the whole bot: every request waits, not just this.
                self._resume_at = max(self._resume_at, loop.time() + wait)
        raise AssertionError("unreachable")  # pragma: no cover


async def call_with_retries(part: SendPart, policy: RetryPolicy, what: str) -> None:
    """Make one Bot API call, again after a transient failure; raise the last error."""
    attempts = max(policy.attempts, 1)
    for attempt in range(1, attempts + 1):
        try:
            await part()
            return
        except TelegramError as error:
            if not is_transient(error) or attempt == attempts:
                raise
            delay = policy.backoff * 2 ** (attempt - 1)
            _LOGGER.info("%s: %s, retrying in %.2f s", what, type(error).__name__, delay)
            await asyncio.sleep(delay)


class Delivery:
    """Send a turn's replies call by call; keep what could not be sent for the chat's next turn."""

    def __init__(self, policy: RetryPolicy | None = None) -> None:
        self._policy = policy
        self._pending: OrderedDict[int, list[SendPart]] = OrderedDict()

    @property
    def policy(self) -> RetryPolicy:
        """Return the policy in force (``DEFAULT_POLICY`` unless one was given)."""
        return self._policy or DEFAULT_POLICY

    def has_pending(self, chat_id: int) -> bool:
        """Tell whether replies of an earlier turn of ``chat_id`` never reached the user."""
        return chat_id in self._pending

    async def send(self, bot: Bot, chat_id: int, replies: Sequence[Reply], event: str,
                   on_live: LiveShown | None = None) -> bool:
        """Send ``replies`` after any still pending; return False if some are left unsent."""
        parts = [*self._pending.pop(chat_id, []), *reply_parts(bot, chat_id, replies, on_live)]
        return await self._send_parts(chat_id, parts, event)

    async def resend_pending(self, chat_id: int, event: str) -> bool:
        """Send what an earlier turn left unsent; return False if some is still unsent."""
        return await self._send_parts(chat_id, self._pending.pop(chat_id, []), event)

    async def _send_parts(self, chat_id: int, parts: list[SendPart], event: str) -> bool:
        for index, part in enumerate(parts):
            try:
                await call_with_retries(part, self.policy, event)
            except TelegramError as error:
                # The engine saved the turn already: keep the rest for the chat's next message.
                _LOGGER.error("update %s: reply not delivered (%s); kept for the next message",
                              event, type(error).__name__)
                self._keep(chat_id, parts[index:])
                return False
        return True

    def _keep(self, chat_id: int, parts: list[SendPart]) -> None:
        self._pending[chat_id] = parts
        self._pending.move_to_end(chat_id)
        while len(self._pending) > _MAX_PENDING_CHATS:
            self._pending.popitem(last=False)
