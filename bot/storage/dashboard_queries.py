"""The team's figures, aggregated in SQL on either store (a bounded result whatever the volume).

They come from the trace each turn writes in ``events`` (``bot.service_record``): a move
``<trigger> <from> <to>`` at each change of step and each named trigger, ``blocked`` with the
rule id, and ``handoff`` / ``handback`` when a person takes the conversation and gives it
back; and from ``conversations`` for claims left in progress. A claim

- starts with ``next welcome <first question>``;
- is ready with ``finish summary done``;
- is blocked by a ``blocked <rule>`` event, at the question of its ``block <question> …``;
- is abandoned with ``cancel <where> …``, with ``restart <where> …`` from a claim in
  progress (a new claim replaces it), or when it has been left in progress, untouched,
  since before ``idle_before`` (counted in the week of its last activity).

Weeks are given as UTC bounds (the console computes them in Paris time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.storage.database import Database
from states.machine import DOCUMENTS, QUESTIONS, SUMMARY

_ASKED = (*QUESTIONS, DOCUMENTS, SUMMARY)
"""Where a claim in progress stands (and can be left)."""
_READY = "finish summary done"
_STARTS = tuple(f"next welcome {state}" for state in _ASKED)
_MOVES = (
    *_STARTS, _READY,
    *(f"block {state} blocked" for state in QUESTIONS),
    *(f"cancel {state} cancelled" for state in _ASKED),
    *(f"restart {state} welcome" for state in _ASKED),
)
"""Every move the figures count: a list of details, each looked up in ``events_trace``."""
_SECONDS = {  # seconds from instant ``a`` to instant ``b`` (ISO-8601 text in both stores)
    "sqlite": "CAST(strftime('%s', b) AS INTEGER) - CAST(strftime('%s', a) AS INTEGER)",
    "postgres": "EXTRACT(EPOCH FROM (CAST(b AS timestamptz) - CAST(a AS timestamptz)))",
}
_MEDIAN = (  # of the durations of ``pairs`` (a, b): computed once (MATERIALIZED)
    "durations (s) AS (SELECT {seconds} FROM pairs WHERE a IS NOT NULL AND b IS NOT NULL),"
    " ranked AS (SELECT s, row_number() OVER (ORDER BY s) AS r, count(*) OVER () AS c"
    " FROM durations) SELECT (SELECT avg(s) FROM ranked WHERE r IN ((c + 1) / 2, (c + 2) / 2)),"
    " (SELECT count(*) FROM durations), (SELECT count(*) FROM pairs WHERE b IS NULL)")


@dataclass
class Week:
    """One week's counts of claims (and hand-offs)."""

    started: int = 0
    ready: int = 0
    blocked: int = 0
    abandoned: int = 0
    handoffs: int = 0
    handbacks: int = 0


@dataclass(frozen=True)
class Durations:
    """The median of some durations, in seconds, and how many there were."""

    median: float | None
    count: int


@dataclass
class Figures:
    """Everything the dashboard draws, over a run of weeks."""

    weeks: list[Week]
    blocked_by_rule: dict[str, int] = field(default_factory=dict)
    abandoned_at: dict[str, int] = field(default_factory=dict)
    """Where abandoned claims stopped: the question (or step) asked and left unanswered."""
    blocked_at: dict[str, int] = field(default_factory=dict)
    to_ready: Durations = Durations(None, 0)
    handoff_wait: Durations = Durations(None, 0)
    """From a hand-off to the hand-back that ends it."""
    handoffs_open: int = 0
    """Hand-offs of the weeks with no hand-back since."""


def _int(value: object) -> int:
    """Return a count as read from either store (int, or PostgreSQL's numeric)."""
    return int(str(value)) if value is not None else 0


def _in(values: Sequence[str]) -> str:
    """Return the placeholders of a list of values (``IN (…)``)."""
    return ", ".join("?" * len(values))


def _per_week(weeks: Sequence[tuple[str, str]], part: str,
              params: Sequence[object] = ()) -> tuple[str, list[object]]:
    """Return ``part`` run for each week, its rows led by the week's index (UNION ALL).

    ``part`` selects what to count and ends with the bounds of a week (``… >= ? AND … < ?``):
    each week is then an index range of its own (a join with a table of weeks is 6x slower).
    """
    sql = " UNION ALL ".join(f"SELECT CAST(? AS INTEGER) AS n, {part}" for _ in weeks)
    values = [v for n, (since, until) in enumerate(weeks) for v in (n, *params, since, until)]
    return sql, values


def _count(figures: Figures, week: int, kind: str, detail: str, count: int) -> None:
    """Add one grouped row of events to the figures."""
    row = figures.weeks[week]
    trigger, _, rest = detail.partition(" ")
    where = rest.partition(" ")[0]
    if kind in ("handoff", "handback"):
        setattr(row, f"{kind}s", getattr(row, f"{kind}s") + count)
    elif kind == "blocked":
        row.blocked += count
        figures.blocked_by_rule[detail] = figures.blocked_by_rule.get(detail, 0) + count
    elif trigger == "next":
        row.started += count
    elif trigger == "finish":
        row.ready += count
    elif trigger == "block":
        figures.blocked_at[where] = figures.blocked_at.get(where, 0) + count
    else:  # cancel, restart of a claim in progress
        row.abandoned += count
        figures.abandoned_at[where] = figures.abandoned_at.get(where, 0) + count


async def _median(db: Database, pairs: str,
                  params: Sequence[object]) -> tuple[Durations, int]:
    """Return the median of the durations of ``pairs`` (a, b), and how many have no end."""
    seconds = _SECONDS[db.dialect.name]
    rows = await db.fetch(f"WITH pairs (a, b) AS MATERIALIZED ({pairs}), "
                          + _MEDIAN.format(seconds=seconds), params)
    median, count, open_ = rows[0]
    return Durations(None if median is None else float(str(median)), _int(count)), _int(open_)


async def figures(db: Database, weeks: Sequence[tuple[str, str]], idle_before: str) -> Figures:
    """Return the figures of ``weeks`` (UTC ``[since, until)`` bounds, in order, contiguous)."""
    result = Figures([Week() for _ in weeks])
    if not weeks:
        return result
    first, last = weeks[0][0], weeks[-1][1]
    counted, values = _per_week(weeks, (  # a list of values: PostgreSQL's index takes it
        f"e.kind, e.detail, count(*) FROM events AS e WHERE e.kind = 'move'"
        f" AND e.detail IN ({_in(_MOVES)}) AND e.at >= ? AND e.at < ?"
        " GROUP BY e.kind, e.detail"), _MOVES)
    rows = await db.fetch(counted, values)
    counted, values = _per_week(weeks, (
        "e.kind, CASE e.kind WHEN 'blocked' THEN e.detail ELSE '' END AS rule, count(*)"
        " FROM events AS e WHERE e.kind IN ('blocked', 'handoff', 'handback')"
        " AND e.at >= ? AND e.at < ? GROUP BY e.kind, rule"))
    rows += await db.fetch(counted, values)
    for week, kind, what, count in rows:
        _count(result, _int(week), str(kind), str(what), _int(count))
    counted, values = _per_week(weeks, (
        "state, count(*) FROM conversations WHERE status = 'in_progress'"
        " AND state <> 'welcome' AND updated_at < ? AND updated_at >= ? AND updated_at < ?"
        " GROUP BY state"), [idle_before])
    for week, state, count in await db.fetch(counted, values):
        result.weeks[_int(week)].abandoned += _int(count)
        result.abandoned_at[str(state)] = result.abandoned_at.get(str(state), 0) + _int(count)
    # Each ready claim with the last start of its chat before it: the chats ready in the weeks,
    # their starts and ends in time order (a window: PostgreSQL plans a lookup per claim at a
    # cost that compiles it with JIT, 1.4 s instead of 0.7 s for 38 000 ready claims).
    result.to_ready, _ = await _median(db, (
        "SELECT a, b FROM (SELECT e.detail, e.at AS b, max(CASE WHEN e.detail = ? THEN NULL"  # noqa: S608
        " ELSE e.at END) OVER (PARTITION BY e.chat_id ORDER BY e.at ROWS UNBOUNDED PRECEDING)"
        f" AS a FROM events AS e WHERE e.kind = 'move' AND e.detail IN ({_in(_STARTS)}, ?)"
        " AND e.at < ? AND e.chat_id IN (SELECT f.chat_id FROM events AS f"
        " WHERE f.kind = 'move' AND f.detail = ? AND f.at >= ? AND f.at < ?)) AS claims"
        " WHERE detail = ? AND b >= ?"),
        [_READY, *_STARTS, _READY, last, _READY, first, last, _READY, first])
    result.handoff_wait, result.handoffs_open = await _median(db, (
        "SELECT h.at, (SELECT min(b.at) FROM events AS b WHERE b.chat_id = h.chat_id"
        " AND b.kind = 'handback' AND b.at >= h.at) FROM events AS h"
        " WHERE h.kind = 'handoff' AND h.at >= ? AND h.at < ?"), [first, last])
    return result
