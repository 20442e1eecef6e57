"""The other kinds: the next family member's claim (LIM-01, LIM-02), the third-party accident's
report (DOC-08), the follow-up four weeks after a ready claim (AFT-01, AFT-03, AFT-04)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.local_time import PARIS
from tests import claims
from tests.reminders.conftest import planned, stored, tick
from tests.scenarios.conversation import finish
from tests.scenarios.test_rules_md_scenarios import ITALY_CHILD, ITALY_PARENT
from tests.states.helpers import play, snapshot_of


async def child_claim(user, name: str) -> None:
    await user.press("nav:new_family")
    await user.send(name)
    for answer in ITALY_CHILD:
        await user.send(answer)
    await finish(user)


async def two_ready_claims(user, moment) -> None:
    moment.at(2, 6, 2025, 10)  # a Monday; the stay in Italy ended on 20/05
    await play(user, ITALY_PARENT)
    await finish(user)
    await child_claim(user, "Léa")


async def test_a_claim_stopped_by_lim_01_is_offered_on_the_day_it_becomes_possible(
        user, repository, service, outbox, moment):
    await two_ready_claims(user, moment)
    await user.press("nav:new_family")
    await user.send("Tom")
    assert (await snapshot_of(user)).blocked.rule_id == "LIM-01"
    family = [r for r in await planned(repository) if r.kind == "next_family"]
    assert [(r.claim_no, r.due_at) for r in family] == [
        (3, datetime(2025, 6, 17, 9, 0, tzinfo=PARIS))]  # 15 days after the 2nd, morning
    assert "unfinished" not in {r.kind for r in await planned(repository)}
    moment.at(17, 6, 2025, 8, 30)
    assert await tick(service, outbox, moment) == 0
    moment.at(17, 6, 2025, 9, 5)
    assert await tick(service, outbox, moment) == 1
    assert "Une nouvelle demande est possible dès aujourd'hui" in outbox.texts[-1]
    start, stop = outbox.sent[-1][1][-1].buttons
    assert (start.label, stop.label) == ("▶️ Commencer", "🔕 Ne plus me rappeler")
    await user.press(start.payload)
    snapshot = await snapshot_of(user)
    assert (snapshot.state, snapshot.blocked) == ("care.beneficiary_birth_date", None)
    assert snapshot.draft.beneficiary_name == "Tom" and snapshot.draft.country == "IT"
    assert await tick(service, outbox, moment) == 0  # once


async def test_commencer_before_the_day_says_when(user, repository, moment):
    await two_ready_claims(user, moment)
    await user.press("nav:new_family")
    await user.send("Tom")
    await user.press("rem:start:3")
    assert "à partir du 17/06/2025" in user.text
    assert (await snapshot_of(user)).state == "blocked"


async def test_asked_at_the_end_the_next_claim_comes_with_the_stay_filled(
        user, repository, service, outbox, moment):
    await two_ready_claims(user, moment)
    assert "rem:family:2" in user.payloads  # the second claim is ready: the 3rd must wait
    await user.press("rem:family:2")
    assert "je vous écrirai le 17/06/2025" in user.text
    moment.at(17, 6, 2025, 10)
    assert await tick(service, outbox, moment) == 1
    await user.press(outbox.sent[-1][1][-1].buttons[0].payload)
    snapshot = await snapshot_of(user)
    assert snapshot.claim_no == 3 and snapshot.state == "care.beneficiary_name"
    assert (snapshot.draft.country, snapshot.draft.stay_start.isoformat()) == ("IT", "2025-05-10")


async def test_no_reminder_offered_when_the_next_claim_is_possible_now(user, moment):
    moment.at(2, 6, 2025, 10)
    await play(user, ITALY_PARENT)
    await finish(user)
    await user.press("nav:more_info")
    assert not [p for p in user.payloads if p.startswith("rem:")]


async def accident_on(user, day: str) -> None:
    await play(user, claims.POLOGNE, until="care.accident_date")
    await user.send(day)


async def test_a_third_party_accident_is_reminded_three_days_before_its_15th_day(
        user, repository, service, outbox, moment):
    await accident_on(user, "12/10/2020")  # today: Thursday 15/10/2020
    (report,) = [r for r in await planned(repository) if r.kind == "accident_report"]
    assert report.due_at == datetime(2020, 10, 24, 9, 0, tzinfo=PARIS)
    moment.at(24, 10, 2020, 9)
    await tick(service, outbox, moment)
    assert any("signalez-le à votre caisse au plus tard le 27/10/2020" in text
               for text in outbox.texts)


async def test_near_its_deadline_the_accident_is_reminded_within_hours(user, repository):
    await accident_on(user, "01/10/2020")  # the 15th day is tomorrow
    (report,) = [r for r in await planned(repository) if r.kind == "accident_report"]
    assert report.due_at == datetime(2020, 10, 15, 11, 0, tzinfo=PARIS)  # not within the hour


async def test_an_accident_past_its_15_days_is_not_reminded(user, repository):
    await accident_on(user, "29/09/2020")
    assert "accident_report" not in {r.kind for r in await planned(repository)}


async def ready_claim(user, moment) -> None:
    moment.at(15, 10, 2020, 16)
    await play(user, [*claims.ROYAUME_UNI, *claims.FINISH_WITHOUT_FILES])


async def test_four_weeks_after_a_ready_claim_the_follow_up_asks_and_records_the_answer(
        user, repository, service, outbox, moment):
    await ready_claim(user, moment)
    (follow_up,) = await planned(repository)
    assert follow_up.due_at == datetime(2020, 11, 12, 16, 0, tzinfo=PARIS)
    moment.at(12, 11, 2020, 16)
    assert await tick(service, outbox, moment) == 1
    assert outbox.texts[-1] == ("📬 Votre demande SE-000001-1 pour Paul :"
                                " avez-vous reçu le remboursement ?")
    labels = [b.label for b in outbox.sent[-1][1][-1].buttons]
    assert labels == ["✅ Oui", "⏳ Pas encore", "✉️ Refus ou courrier", "🔕 Ne plus me rappeler"]
    await user.press("rem:pending:1")
    assert "messagerie de votre compte ameli" in user.text and "36 46" in user.text
    await user.press("rem:refused:1")
    assert "+33 1 84 90 36 46 depuis l'étranger" in user.text
    await user.press("rem:received:1")
    assert "Tant mieux" in user.text
    (sent,) = await stored(repository)
    assert (sent.status, sent.answer) == ("sent", "received")
    events = await repository.database.fetch(
        "SELECT kind, detail FROM events WHERE kind IN ('follow_up', 'reminder_sent')"
        " ORDER BY id")
    assert events == [("reminder_sent", "follow_up 1"), ("follow_up", "1 pending"),
                      ("follow_up", "1 refused"), ("follow_up", "1 received")]


async def test_a_follow_up_survives_a_claim_for_another_family_member(
        user, repository, moment):
    await two_ready_claims(user, moment)
    follow_ups = [(r.claim_no, r.due_at) for r in await planned(repository)
                  if r.kind == "follow_up"]
    assert follow_ups == [(1, datetime(2025, 6, 30, 10, 0, tzinfo=PARIS)),
                          (2, datetime(2025, 6, 30, 10, 0, tzinfo=PARIS))]


async def test_an_answer_about_a_claim_never_ready_is_a_stale_button(user, moment):
    await ready_claim(user, moment)
    await user.press("rem:received:7")
    assert "Ce bouton ne correspond plus" in user.text
