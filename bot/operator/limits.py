"""Failed sign-ins, counted per login and per client address over a sliding window.

Kept in memory: a restart forgets them, which costs an attacker a restart they cannot cause.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

_MAX_KEYS = 10_000  # bound the memory an attacker spraying logins can make us hold


class FailureLimiter:
    """Refuse further attempts once a key has ``limit`` failures within ``window`` seconds."""

    def __init__(self, limit: int, window: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        now = self._clock()
        failures = self._failures.get(key, deque())
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        """Tell whether any of ``keys`` has used up its attempts."""
        return any(len(self._recent(key)) >= self.limit for key in keys)

    def fail(self, *keys: str) -> None:
        """Count one failure against each key."""
        if len(self._failures) > _MAX_KEYS:
            for key in [k for k in self._failures if not self._recent(k)]:
                del self._failures[key]
        now = self._clock()
        for key in keys:
            failures = self._recent(key)
            failures.append(now)
            self._failures[key] = failures

    def clear(self, key: str) -> None:
        """Forget a key's failures (after a successful sign-in)."""
        self._failures.pop(key, None)
