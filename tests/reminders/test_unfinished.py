"""A claim left halfway: one nudge after 24 h of silence, a last one three days later, never
more; at a decent hour in the user's local time; moved by the user's return (issue 16)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.local_time import PARIS
from tests import claims
from tests.reminders.conftest import planned, tick
from tests.states.helpers import play, snapshot_of


def labels(outbox) -> list[str]:
    return [button.label for button in outbox.sent[-1][1][-1].buttons]


async def test_silence_brings_one_nudge_then_a_last_one_three_days_later(
        user, repository, service, outbox, moment):
    await play(user, claims.POLOGNE, until="stay.country")  # Thursday 15/10/2020, 10:00
    first, second = await planned(repository)
    assert (first.kind, first.seq, second.seq) == ("unfinished", 1, 2)
    assert first.due_at == datetime(2020, 10, 16, 10, 0, tzinfo=PARIS)
    assert second.due_at == datetime(2020, 10, 19, 10, 0, tzinfo=PARIS)
    moment.advance(hours=23, minutes=59)
    assert await tick(service, outbox, moment) == 0
    moment.advance(minutes=1)
    assert await tick(service, outbox, moment) == 1
    assert "Votre demande SE-000001-1 n'est pas finie" in outbox.texts[-1]
    assert "Modalités du séjour" in outbox.texts[-1]  # where it stands
    assert labels(outbox) == ["▶️ Reprendre", "⏰ Plus tard", "🔕 Ne plus me rappeler"]
    assert await tick(service, outbox, moment) == 0  # sent once
    moment.advance(days=2, hours=23)
    assert await tick(service, outbox, moment) == 0
    moment.advance(hours=1)
    assert await tick(service, outbox, moment) == 1
    assert "C'est mon dernier rappel" in outbox.texts[-1]
    assert labels(outbox) == ["▶️ Reprendre", "🔕 Ne plus me rappeler"]  # no « Plus tard »
    moment.advance(days=60)
    assert await tick(service, outbox, moment) == 0  # never more
    assert await planned(repository) == []
    assert len(outbox.sent) == 2


async def test_the_users_return_moves_the_nudge_and_reprendre_shows_the_question(
        user, repository, service, outbox, moment):
    await play(user, claims.POLOGNE, until="stay.country")
    moment.advance(hours=20)
    await user.send("Pologne")  # back before the nudge: 24 h from now
    first = (await planned(repository))[0]
    assert first.due_at == datetime(2020, 10, 17, 9, 0, tzinfo=PARIS)  # 06:00: too early
    moment.advance(hours=5)
    assert await tick(service, outbox, moment) == 0
    moment.at(17, 10, 2020, 9)
    assert await tick(service, outbox, moment) == 1
    resume = outbox.sent[-1][1][-1].buttons[0].payload
    await user.press(resume)
    assert "carte européenne" in user.text  # the question after the country
    # « Plus tard » on the second one's eve: the last nudge three days after the first.
    await user.press("rem:later:1")
    assert "une dernière fois dans quelques jours" in user.text
    (last,) = await planned(repository)
    assert (last.seq, last.due_at) == (2, datetime(2020, 10, 20, 9, 0, tzinfo=PARIS))
    moment.at(20, 10, 2020, 9)
    assert await tick(service, outbox, moment) == 1
    await user.press("rem:later:1")  # the first one's button, after the last one
    assert "tapez /start pour reprendre" in user.text


async def test_evening_silence_waits_for_the_morning_in_france(
        user, repository, service, outbox, moment):
    moment.at(15, 10, 2020, 21, 30)
    await play(user, claims.POLOGNE, until="stay.country")
    first = (await planned(repository))[0]
    assert first.due_at == datetime(2020, 10, 17, 9, 0, tzinfo=PARIS)  # 24 h, then 09:00
    moment.at(17, 10, 2020, 8, 59)
    assert await tick(service, outbox, moment) == 0
    moment.at(17, 10, 2020, 9, 0)
    assert await tick(service, outbox, moment) == 1


JAPAN = [*claims.AFRIQUE_DU_SUD[:10], ("text", "japon"), *claims.AFRIQUE_DU_SUD[11:14]]
TOKYO = ZoneInfo("Asia/Tokyo")


async def test_during_the_stay_the_hour_is_the_country_of_stays(
        user, repository, service, outbox, moment):
    moment.now = datetime(2025, 5, 15, 22, 0, tzinfo=TOKYO)  # the stay: 09/05 to 20/05
    await play(user, JAPAN)
    assert (await snapshot_of(user)).state == "stay.hospitalised"
    first = (await planned(repository))[0]
    assert first.due_at == datetime(2025, 5, 17, 9, 0, tzinfo=TOKYO)  # 02:00 in Paris
    moment.now = datetime(2025, 5, 17, 9, 0, tzinfo=TOKYO)
    assert await tick(service, outbox, moment) == 1
    await user.send("/rappels")
    assert "heure du pays de séjour" in user.text


async def test_after_the_stay_the_hour_is_frances(user, repository, moment):
    moment.now = datetime(2025, 5, 25, 22, 0, tzinfo=TOKYO)  # back home: 15:00 in Paris
    await play(user, JAPAN)
    first = (await planned(repository))[0]
    assert first.due_at == datetime(2025, 5, 26, 15, 0, tzinfo=PARIS)


async def test_a_welcome_not_accepted_and_a_finished_claim_get_no_nudge(
        user, repository, moment):
    await user.send("/start")
    assert await planned(repository) == []
    await play(user, [*claims.ROYAUME_UNI, *claims.FINISH_WITHOUT_FILES])
    assert [r.kind for r in await planned(repository)] == ["follow_up"]


async def test_cancelling_drops_the_nudge(user, repository):
    await play(user, claims.POLOGNE, until="stay.country")
    await user.press("nav:cancel_yes")
    assert await planned(repository) == []


async def test_no_nudge_while_an_adviser_has_the_conversation(user, repository):
    await play(user, claims.POLOGNE, until="stay.country")
    await user.send("/conseiller")
    assert (await snapshot_of(user)).state == "handoff"
    assert await planned(repository) == []
