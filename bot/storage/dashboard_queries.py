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

# A restart from these leaves no claim in progress: nothing is abandoned.
_RESTART_FROM_END = ("'restart welcome welcome', 'restart done welcome',"
                     " 'restart blocked welcome', 'restart cancelled welcome'")
_SECONDS = {  # seconds from instant ``a`` to instant ``b`` (ISO-8601 text in both stores)
    "sqlite": "CAST(strftime('%s', {b}) AS INTEGER) - CAST(strftime('%s', {a}) AS INTEGER)",
    "postgres": "EXTRACT(EPOCH FROM (CAST({b} AS timestamptz) - CAST({a} AS timestamptz)))",
}
_MEDIAN = ("SELECT avg(s), max(c) FROM (SELECT s, row_number() OVER (ORDER BY s) AS r,"
           " count(*) OVER () AS c FROM durations) AS ranked"
           " WHERE r IN ((c + 1) / 2, (c + 2) / 2)")


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


def _weeks_sql(weeks: Sequence[tuple[str, str]]) -> tuple[str, list[object]]:
    rows = ", ".join("(CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT))" for _ in weeks)
    values: list[object] = [v for n, (since, until) in enumerate(weeks) for v in (n, since, until)]
    return f"weeks (n, since, until) AS (VALUES {rows})", values


_TRACE = (  # the events the figures count, by kind and time (index events_kind_at)
    "(e.kind IN ('blocked', 'handoff', 'handback') OR (e.kind = 'move' AND ("
    "e.detail LIKE 'next welcome %' OR e.detail = 'finish summary done'"
    " OR e.detail LIKE 'cancel %' OR e.detail LIKE 'block %'"
    f" OR (e.detail LIKE 'restart %' AND e.detail NOT IN ({_RESTART_FROM_END})))))")


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


async def _median(db: Database, sql: str, params: Sequence[object]) -> Durations:
    rows = await db.fetch(f"WITH durations (s) AS ({sql}) {_MEDIAN}", params)
    median, count = rows[0] if rows else (None, None)
    return Durations(None if median is None else float(str(median)), _int(count))


async def figures(db: Database, weeks: Sequence[tuple[str, str]], idle_before: str) -> Figures:
    """Return the figures of ``weeks`` (UTC ``[since, until)`` bounds, in order, contiguous)."""
    result = Figures([Week() for _ in weeks])
    if not weeks:
        return result
    table, values = _weeks_sql(weeks)
    first, last = weeks[0][0], weeks[-1][1]
    detail = "CASE WHEN e.kind IN ('move', 'blocked') THEN e.detail ELSE '' END"
    rows = await db.fetch(
        f"WITH {table} SELECT w.n, e.kind, {detail}, count(*) FROM events AS e"  # noqa: S608
        " JOIN weeks AS w ON e.at >= w.since AND e.at < w.until"
        f" WHERE e.at >= ? AND e.at < ? AND {_TRACE} GROUP BY w.n, e.kind, {detail}",
        [*values, first, last])
    for week, kind, what, count in rows:
        _count(result, _int(week), str(kind), str(what), _int(count))
    idle = await db.fetch(
        f"WITH {table} SELECT w.n, c.state, count(*) FROM conversations AS c"  # noqa: S608
        " JOIN weeks AS w ON c.updated_at >= w.since AND c.updated_at < w.until"
        " WHERE c.status = 'in_progress' AND c.state <> 'welcome' AND c.updated_at < ?"
        " AND c.updated_at >= ? AND c.updated_at < ? GROUP BY w.n, c.state",
        [*values, idle_before, first, last])
    for week, state, count in idle:
        result.weeks[_int(week)].abandoned += _int(count)
        result.abandoned_at[str(state)] = result.abandoned_at.get(str(state), 0) + _int(count)
    seconds = _SECONDS[db.dialect.name]
    result.to_ready = await _median(db, (
        f"SELECT {seconds.format(a='started', b='done')} FROM (SELECT f.at AS done,"  # noqa: S608
        " (SELECT max(s.at) FROM events AS s WHERE s.chat_id = f.chat_id AND s.kind = 'move'"
        " AND s.detail LIKE 'next welcome %' AND s.at <= f.at) AS started FROM events AS f"
        " WHERE f.kind = 'move' AND f.detail = 'finish summary done' AND f.at >= ?"
        " AND f.at < ?) AS claims WHERE started IS NOT NULL"), [first, last])
    back = ("(SELECT min(b.at) FROM events AS b WHERE b.chat_id = h.chat_id"
            " AND b.kind = 'handback' AND b.at >= h.at)")
    handoffs = (f"SELECT h.at AS asked, {back} AS answered FROM events AS h"  # noqa: S608
                " WHERE h.kind = 'handoff' AND h.at >= ? AND h.at < ?")
    result.handoff_wait = await _median(db, (
        f"SELECT {seconds.format(a='asked', b='answered')} FROM ({handoffs}) AS waits"  # noqa: S608
        " WHERE answered IS NOT NULL"), [first, last])
    open_rows = await db.fetch(f"SELECT count(*) FROM ({handoffs}) AS waits"  # noqa: S608
                               " WHERE answered IS NULL", [first, last])
    result.handoffs_open = _int(open_rows[0][0])
    return result
