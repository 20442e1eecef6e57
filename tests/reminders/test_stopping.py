"""Easy to stop, and exactly once: « Ne plus me rappeler », /rappels, a 403, erasure and
retention; no reminder twice across a restart or across two workers (issue 16)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.domain.local_time import PARIS
from bot.outbox import BLOCKED_EVENT
from bot.reminders import run_reminders
from bot.retention import purge_expired
from bot.service import ConversationService
from bot.storage.stores import open_store
from tests import claims
from tests.fakes.users import ScriptedUser
from tests.reminders.conftest import Outbox, planned, stored, tick
from tests.states.helpers import play, snapshot_of


async def in_progress(user) -> None:
    await play(user, claims.POLOGNE, until="stay.country")


async def test_ne_plus_me_rappeler_stops_every_reminder_and_rappels_turns_them_on(
        user, repository, service, outbox, moment):
    await in_progress(user)
    moment.advance(days=1)
    assert await tick(service, outbox, moment) == 1
    await user.press("rem:stop:1")
    assert "plus aucun rappel" in user.text
    assert await planned(repository) == []
    moment.advance(days=10)
    assert await tick(service, outbox, moment) == 0
    await user.send("/rappels")
    assert "Rappels désactivés" in user.text and "Aucun rappel prévu." in user.text
    assert "Déjà envoyés :" in user.text
    await user.press("rem:on:1")
    assert "Rappels réactivés" in user.text and "Prévus :" in user.text
    assert [r.seq for r in await planned(repository)] == [2]  # the first was sent already
    events = await repository.database.fetch(
        "SELECT detail FROM events WHERE kind = 'reminders' ORDER BY id")
    assert events == [("off",), ("on",)]


async def test_rappels_lists_what_is_planned_at_the_local_hour(user, moment):
    await in_progress(user)
    await user.send("rappels")  # typed as a word, too
    text = user.text
    assert "⏰ Vos rappels\nPrévus :\n• 16/10/2020 à 10:00 : demande SE-000001-1 à finir" in text
    assert "entre 09:00 et 20:00 (heure de France)" in text
    assert "🔕 Ne plus me rappeler" in [b.label for b in user.turn[0].buttons]
    assert "Modalités du séjour" in text  # then where the claim stands


async def test_a_user_who_blocked_the_bot_gets_no_more_reminders(
        user, repository, service, outbox, moment):
    await in_progress(user)
    moment.advance(days=1)
    assert await tick(service, outbox, moment) == 1
    await service.outbox.blocked(user.chat_id)  # what delivery does on Telegram's 403
    assert await planned(repository) == []  # the last nudge is dropped
    assert await repository.database.fetch(
        "SELECT kind FROM events WHERE kind = ?", [BLOCKED_EVENT]) == [(BLOCKED_EVENT,)]
    moment.advance(days=5)
    assert await tick(service, outbox, moment) == 0
    await user.send("Pologne")  # writing again: the bot is unblocked, the last one planned
    assert [r.seq for r in await planned(repository)] == [2]


async def test_a_restart_sends_nothing_again(store_target, moment):
    outbox = Outbox()
    for _run in range(2):  # the same store, opened twice: a restart between the passes
        repository = await open_store(store_target)
        try:
            service = ConversationService(repository, now=moment)
            if _run == 0:
                await in_progress(ScriptedUser(service))
                moment.advance(days=1)
            await tick(service, outbox, moment)
        finally:
            await repository.close()
    assert len(outbox.sent) == 1


async def test_two_workers_send_a_due_reminder_once(store_target, moment):
    stores = [await open_store(store_target) for _ in range(2)]
    try:
        services = [ConversationService(store, now=moment) for store in stores]
        for number in range(5):
            await in_progress(ScriptedUser(services[number % 2], f"chat-{number}"))
        moment.advance(days=1)
        outbox = Outbox()
        counts = await asyncio.gather(*(tick(service, outbox, moment) for service in services))
        assert sum(counts) == 5
        assert sorted(chat for chat, _ in outbox.sent) == [f"chat-{n}" for n in range(5)]
        # The job loop of each worker, running together, adds nothing.
        loops = [asyncio.create_task(run_reminders(store, service,
                                                   timedelta(seconds=0.05), moment))
                 for store, service in zip(stores, services, strict=True)]
        await asyncio.sleep(0.3)
        for loop in loops:
            loop.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
        await outbox.collect(services[0])
        assert len(outbox.sent) == 5
    finally:
        for store in stores:
            await store.close()


async def test_erasure_and_retention_take_the_reminders(user, repository, service, moment):
    await in_progress(user)
    assert await planned(repository)
    await user.send("/supprimer")
    await user.press("nav:erase_yes")
    assert await stored(repository) == []
    await in_progress(user)
    await repository.database.execute(
        "UPDATE conversations SET updated_at = '2020-01-01T00:00:00+00:00'")
    await purge_expired(repository, timedelta(days=90), now=datetime(2020, 10, 15, tzinfo=PARIS))
    assert await repository.database.fetch("SELECT count(*) FROM reminders") == [(0,)]


async def test_a_reminder_of_a_claim_that_moved_on_meanwhile_is_dropped(
        user, repository, service, outbox, moment):
    await in_progress(user)
    moment.advance(days=1)
    snapshot = await snapshot_of(user)
    snapshot.reminders_off = True  # as if changed behind the planning's back
    await repository.update_snapshot(user.chat_id, snapshot.model_dump_json())
    assert await tick(service, outbox, moment) == 0
    assert [r.seq for r in await planned(repository)] == [2]
