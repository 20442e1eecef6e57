"""The team's dashboard: figures aggregated in SQL on both stores, drawn as SVG with tables."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from starlette.datastructures import QueryParams

from bot.operator.dashboard import duration, funnel, period
from bot.operator.dossier import PARIS
from bot.operator.views import utc_midnight
from bot.service import ConversationService
from bot.storage.dashboard_queries import Durations
from bot.storage.operator_queries import open_operator_store
from bot.storage.repository import instant
from bot.storage.stores import open_store
from tests import claims
from tests.conftest import AS_OF_2020, Clock
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play

NOW = datetime.now(UTC)
IDLE = NOW - timedelta(days=10)


async def _more_claims(target) -> None:
    """Add to the seeded store: a cancel, a restart, a claim left idle, hand-offs, a known time.

    The seed has: 1001 ready, 1002 in progress, 1003 blocked by LIM-03, 1004 in progress.
    """
    repository = await open_store(target)
    try:
        service = ConversationService(repository, clock=Clock(AS_OF_2020))
        cancels = ScriptedUser(service, "2001")
        await play(cancels, claims.POLOGNE, until="care.beneficiary_name")
        await cancels.send("/annuler")
        await cancels.press("nav:cancel_yes")
        restarts = ScriptedUser(service, "2002")
        await play(restarts, claims.POLOGNE, until="personal.situation")
        await restarts.send("/start")
        await restarts.press("nav:restart_yes")
        await play(ScriptedUser(service, "2003"), claims.ROYAUME_UNI, until="stay.country")
        db = repository.database
        await db.execute("UPDATE conversations SET updated_at = ? WHERE chat_id = '2003'",
                         (instant(IDLE),))
        finished = (await db.fetch("SELECT at FROM events WHERE chat_id = '1001'"
                                   " AND detail = 'finish summary done'"))[0][0]
        started = datetime.fromisoformat(str(finished)) - timedelta(hours=2)
        await db.execute("UPDATE events SET at = ? WHERE chat_id = '1001'"
                         " AND detail LIKE 'next welcome %'", (instant(started),))
        asked = NOW - timedelta(hours=1)
        for chat, kind, at in (("1002", "handoff", asked), ("1002", "handback",
                                                            asked + timedelta(minutes=10)),
                               ("1004", "handoff", asked)):
            await db.execute("INSERT INTO events (chat_id, kind, detail, at) VALUES (?, ?, '', ?)",
                             (chat, kind, instant(at)))
    finally:
        await repository.close()


@pytest.fixture
async def store(console_store):
    await _more_claims(console_store)
    return console_store


def _weeks():
    mondays = period(QueryParams(""), datetime.now(PARIS).date())
    return mondays, [(utc_midnight(d), utc_midnight(d + timedelta(weeks=1))) for d in mondays]


async def test_figures_on_both_stores(store):
    mondays, weeks = _weeks()
    operator = await open_operator_store(store)
    try:
        figures = await operator.figures(weeks, instant(NOW - timedelta(days=7)))
    finally:
        await operator.close()
    total = {key: sum(getattr(w, key) for w in figures.weeks)
             for key in ("started", "ready", "blocked", "abandoned", "handoffs", "handbacks")}
    # 2002's new claim began at once (the privacy notice stays accepted): 8 started.
    assert total == {"started": 8, "ready": 1, "blocked": 1, "abandoned": 3, "handoffs": 2,
                     "handbacks": 1}
    idle_week = next(n for n, (since, until) in enumerate(weeks)
                     if since <= instant(IDLE) < until)
    assert figures.weeks[idle_week].abandoned >= 1
    assert figures.blocked_by_rule == {"LIM-03": 1}
    assert figures.blocked_at == {"care.care_link": 1}
    assert figures.abandoned_at == {"care.beneficiary_name": 1, "personal.situation": 1,
                                    "stay.country": 1}
    assert figures.to_ready == Durations(7200.0, 1)
    assert figures.handoff_wait == Durations(600.0, 1)
    assert figures.handoffs_open == 1
    stages = {s.key: (s.reached, s.abandoned, s.blocked) for s in funnel(figures)}
    assert stages["personal.regime"] == (5, 0, 0)
    assert stages["personal.situation"] == (5, 1, 0)
    assert stages["care.beneficiary_name"] == (4, 1, 0)
    assert stages["care.care_link"] == (3, 0, 1)
    assert stages["stay.country"] == (2, 1, 0)
    assert stages["summary"] == (1, 0, 0) and stages["done"] == (1, 0, 0)
    assert len(mondays) == 12


async def test_no_week_no_figure_and_an_empty_period(store):
    operator = await open_operator_store(store)
    try:
        empty = await operator.figures([("2001-01-01T00:00:00+00:00",
                                         "2001-01-08T00:00:00+00:00")], instant(NOW))
    finally:
        await operator.close()
    assert empty.weeks[0].started == 0 and empty.to_ready == Durations(None, 0)
    assert funnel(empty)[0].reached == 0


async def test_the_page_draws_the_figures_beside_their_tables(admin, store):
    page = await admin.get("/operator/tableau-de-bord")
    assert page.status_code == 200
    html = page.text
    for chart in ("weekly-chart", "rules-chart", "funnel-chart", "handoffs-chart"):
        block = html[html.index(f'id="{chart}"'):]
        assert block.index("<svg") < block.index("</figure>")
    weekly = html[html.index('id="weekly"'):html.index("</table>", html.index('id="weekly"'))]
    sums = [sum(int(v) for v in column) for column in zip(*re.findall(
        r"<tr><td>S\d+ · [\d/]+</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>",
        weekly), strict=True)]
    assert sums == [8, 1, 1, 3]
    assert "<td>LIM-03</td><td>1</td>" in html
    assert '<tr data-stage="care.care_link"><td>2. Soins liés à</td><td>3</td>' in html
    assert "Durée médiane jusqu&#39;à une demande prête : 2 h 00 min (1 demande(s))" in html
    assert "10 min 00 s (1 prise(s) en charge terminée(s))" in html
    assert "Prises en charge sans retour à l&#39;assistant : 1" in html
    assert "<script" not in html and "http://" not in html.replace(
        "http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize("query", [{"du": "2024-05-01", "au": "2024-04-01"},
                                   {"du": "2020-01-01", "au": "2024-01-01"},
                                   {"du": "abc"}, {"au": "2024-02-30"}])
async def test_a_bad_period_is_a_french_400(admin, query):
    answer = await admin.get("/operator/tableau-de-bord", params=query)
    assert answer.status_code == 400
    assert "invalide" in answer.text


async def test_a_chosen_period_is_whole_weeks(admin, store):
    page = (await admin.get("/operator/tableau-de-bord",
                            params={"du": "2024-01-03", "au": "2024-01-17"})).text
    assert "Semaines du lundi 01/01/2024 au dimanche 21/01/2024" in page
    assert len(re.findall(r"<tr><td>S\d+ · ", page)) == 6  # 3 weeks, in two tables


def test_durations_read_as_people_say_them():
    assert [duration(Durations(s, 1)) for s in (None, 45, 600, 7260, 3 * 86400 + 4 * 3600)] == [
        "—", "45 s", "10 min 00 s", "2 h 01 min", "3 j 4 h"]


class Explaining:
    """The real SQLite database, asked for each query's plan before running it."""

    def __init__(self, database) -> None:
        self.database = database
        self.dialect = database.dialect
        self.plans: list[str] = []

    async def fetch(self, sql, params=()):
        plan = await self.database.fetch(f"EXPLAIN QUERY PLAN {sql}", params)
        self.plans.append(" | ".join(str(row[3]) for row in plan))
        return await self.database.fetch(sql, params)


@pytest.mark.parametrize("console_store", ["sqlite"], indirect=True)  # its plans are SQLite's
async def test_every_figure_is_read_through_an_index(store):
    from bot.storage.dashboard_queries import figures

    _, weeks = _weeks()
    operator = await open_operator_store(store)
    try:
        explaining = Explaining(operator._db)
        await figures(explaining, weeks, instant(NOW))
    finally:
        await operator.close()
    assert len(explaining.plans) == 5
    for plan in explaining.plans:
        assert not re.search(r"SCAN (e|f|s|h|b|events|conversations)\b(?! USING)", plan), plan
