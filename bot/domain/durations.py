"""Durations as settings and ``config/`` write them: ``90s``, ``30m``, ``24h``, ``3d``, ``4w``."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# Six digits at most: a typo never overflows timedelta (999999w is 19 000 years).
_DURATION = re.compile(r"^\s*(-?)\s*(\d{1,6}(?:\.\d{1,3})?)\s*([smhdw])\s*$")


def parse_duration(text: str, *, signed: bool = False) -> timedelta:
    """Read ``90s``, ``30m``, ``24h``, ``3d``, ``4w`` (``-3d`` too when ``signed``).

    Raises ``ValueError`` with the accepted forms when ``text`` is none of them.
    """
    found = _DURATION.match(text.lower())
    if found is None or (found[1] and not signed):
        raise ValueError(f"not a duration (90s, 30m, 24h, 3d, 4w): {text[:20]!r}")
    seconds = float(found[2]) * _UNITS[found[3]]
    return timedelta(seconds=-seconds if found[1] else seconds)
