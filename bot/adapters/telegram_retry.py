"""Survive a flaky Bot API: retry what can be retried, then give up without losing the turn.

Two layers, each where python-telegram-bot expects it:

* ``FloodControl`` is the application's rate limiter. It throttles like ``AIORateLimiter``
  (which it wraps, with its own retries off) and answers ``RetryAfter`` (HTTP 429) by
  pausing every request for ``retry_after`` seconds, then retrying; a wait longer than
  ``RetryPolicy.max_retry_after`` is not worth holding a turn for, so it gives up at once.
  PTB's rate-limiter contract says to handle ``RetryAfter`` only, so timeouts are left to…
* ``Delivery``, which sends an outbox entry (a turn's replies, an agent's message…) one
  Bot API call at a time and retries a ``TimedOut`` or a network / 5xx ``NetworkError``
  with a short exponential backoff. Each part sent is recorded in the outbox; if a call
  still fails, the entry stays there, tried again later and before the chat's next turn
  (``bot.outbox``), and the failure is logged with the update id and the error class only.
  Nothing is raised into PTB, whose error handler would apologise and ask the user to
  resend an answer the engine already took. A user who blocked the bot (403) gets nothing
  more: the chat's entries are dropped and that is recorded.

Retrying a timed-out ``sendMessage`` may, rarely, show a message twice (Telegram may have
received it before the connection dropped); a duplicated question is better than none.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.adapters.telegram_render import LiveShown, SendPart, reply_parts
from bot.observability.metrics import counted_api_call
from bot.outbox import Outbox, Outgoing

_LOGGER = logging.getLogger(__name__)

# Hints that are stale by the time a retry would land: one attempt only.
_NO_RETRY_ENDPOINTS = frozenset({"sendChatAction"})


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
    """Send outbox entries call by call, recording in the outbox what reached the user."""

    def __init__(self, outbox: Outbox, policy: RetryPolicy | None = None) -> None:
        self._outbox = outbox
        self._policy = policy

    @property
    def policy(self) -> RetryPolicy:
        """Return the policy in force (``DEFAULT_POLICY`` unless one was given)."""
        return self._policy or DEFAULT_POLICY

    async def send(self, bot: Bot, chat_id: int, entry: Outgoing, event: str,
                   on_live: LiveShown | None = None) -> bool:
        """Send what ``entry`` has left to send; return False if some of it is still unsent."""
        parts = reply_parts(bot, chat_id, entry.replies, on_live)
        for index in range(entry.sent_parts, len(parts)):
            try:
                await call_with_retries(parts[index], self.policy, event)
            except Forbidden:
                _LOGGER.info("update %s: the user blocked the bot; nothing more is sent", event)
                await self._outbox.blocked(entry.chat_id)
                return False
            except BadRequest as error:  # refused as it is, for good: the rest still goes
                _LOGGER.error("update %s: a reply part refused (%s), skipped", event,
                              type(error).__name__)
            except TelegramError as error:
                _LOGGER.error("update %s: reply not delivered (%s); kept in the outbox",
                              event, type(error).__name__)
                await self._outbox.failed(entry, index)
                return False
            if index + 1 < len(parts):  # a crash now resends from the next part only
                await self._outbox.progress(entry, index + 1)
        await self._outbox.done(entry)
        return True
