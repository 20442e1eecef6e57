"""The team's dashboard: claims per week, where travellers stop, time to a ready claim,
hand-offs. Figures from ``bot.storage.dashboard_queries``; charts from ``charts``.

Weeks run Monday to Sunday in Paris time; the period is whole weeks, 12 by default, at most
``MAX_WEEKS``. Every viewer of the console may see it: it names nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from bot.domain.catalog import get_catalog
from bot.operator import params
from bot.operator.charts import Series, grouped_bars, horizontal_bars
from bot.operator.dossier import PARIS
from bot.operator.views import utc_midnight
from bot.operator.web import actor, console, render, signed_in
from bot.storage.dashboard_queries import Durations, Figures
from bot.storage.repository import instant
from states.machine import DOCUMENTS, QUESTIONS, SUMMARY, step_of

DEFAULT_WEEKS, MAX_WEEKS = 12, 53
COLOURS = {"started": "#0c419a", "ready": "#2e7d32", "blocked": "#c62828",
           "abandoned": "#757575", "handoffs": "#8a5a00", "handbacks": "#00838f"}
POSITIONS = (*QUESTIONS, DOCUMENTS, SUMMARY)
"""Where a claim can stop, in the form's order."""


@dataclass(frozen=True)
class Stage:
    """One place of the funnel: how many claims got this far, and how many stopped here."""

    key: str
    label: str
    reached: int
    abandoned: int
    blocked: int


def period(query: QueryParams, today: date) -> list[date]:
    """Return the Mondays of the weeks asked (``du``/``au``, Paris dates), oldest first."""
    start, end = params.day(query, "du"), params.day(query, "au")
    end = end or today
    start = start or end - timedelta(weeks=DEFAULT_WEEKS - 1)
    first = start - timedelta(days=start.weekday())
    last = end - timedelta(days=end.weekday())
    if first > last or (last - first).days // 7 + 1 > MAX_WEEKS:
        raise params.BadParameter("operator.error.bad_period")
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def stage_label(position: str) -> str:
    """Return a stop's place as operators read it: « 2. Bénéficiaire », « 4. Documents »."""
    t = get_catalog("fr").text
    step = step_of(position)
    number = f"{step.number}. " if step else ""
    if position in QUESTIONS:
        return number + t(f"question.{position}.short")
    return number + t(f"operator.dashboard.stage.{position}")


def funnel(figures: Figures) -> list[Stage]:
    """Return the funnel of the claims that ended in the period (ready, blocked, abandoned)."""
    ready = sum(week.ready for week in figures.weeks)
    stops = {p: (figures.abandoned_at.get(p, 0), figures.blocked_at.get(p, 0))
             for p in POSITIONS}
    reached = ready + sum(a + b for a, b in stops.values())
    stages = []
    for position in POSITIONS:
        abandoned, blocked = stops[position]
        stages.append(Stage(position, stage_label(position), reached, abandoned, blocked))
        reached -= abandoned + blocked
    t = get_catalog("fr").text
    return [*stages, Stage("done", t("operator.dashboard.stage.done"), reached, 0, 0)]


def duration(value: Durations) -> str:
    """Return a median duration as « 2 h 05 min », « 3 j 4 h », « 45 s » (or « — »)."""
    if value.median is None:
        return "—"
    seconds = round(value.median)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} j {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _charts(figures: Figures, labels: list[str], stages: list[Stage]) -> dict[str, object]:
    t = get_catalog("fr").text
    claims = [Series(t(f"operator.dashboard.col.{key}"), COLOURS[key],
                     [getattr(week, key) for week in figures.weeks])
              for key in ("started", "ready", "blocked", "abandoned")]
    handoffs = [Series(t(f"operator.dashboard.col.{key}"), COLOURS[key],
                       [getattr(week, key) for week in figures.weeks])
                for key in ("handoffs", "handbacks")]
    rules = sorted(figures.blocked_by_rule.items(), key=lambda item: (-item[1], item[0]))
    return {
        "weekly": grouped_bars(t("operator.dashboard.weekly"), labels, claims),
        "handoffs": grouped_bars(t("operator.dashboard.handoffs"), labels, handoffs),
        "rules": horizontal_bars(t("operator.dashboard.rules"), rules, COLOURS["blocked"]),
        "funnel": horizontal_bars(t("operator.dashboard.funnel"),
                                  [(s.label, s.reached) for s in stages], COLOURS["started"]),
        "rule_rows": rules,
    }


@signed_in()
async def dashboard(request: Request) -> Response:
    """Show the team's figures over the weeks asked."""
    app = console(request)
    # Events are stamped with the real time: the weeks are the calendar's, not ``app.today``.
    mondays = period(request.query_params, datetime.now(PARIS).date())
    weeks = [(utc_midnight(day), utc_midnight(day + timedelta(weeks=1))) for day in mondays]
    idle_before = instant(datetime.now(UTC) - timedelta(days=app.settings.dashboard_idle_days))
    store = await app.open()
    figures = await store.figures(weeks, idle_before)
    await store.record(actor(request), "dashboard",
                       detail=f"du={mondays[0].isoformat()} semaines={len(mondays)}")
    labels = [f"S{day.isocalendar().week} · {day:%d/%m}" for day in mondays]
    stages = funnel(figures)
    return render(request, "dashboard.html", {
        "figures": figures, "labels": labels, "stages": stages,
        "rows": list(zip(labels, figures.weeks, strict=True)),
        "first": mondays[0], "last": mondays[-1] + timedelta(days=6),
        "to_ready": duration(figures.to_ready), "handoff_wait": duration(figures.handoff_wait),
        "idle_days": app.settings.dashboard_idle_days,
        **_charts(figures, labels, stages),
    })
