"""The outbox keeps what the bot has to say until it reached the user (issues 15 and 18).

Both backends; a clock moved by hand stands for the time between tries.
"""

from __future__ import annotations

import asyncio

from bot.domain.io import Attachment, Button, Command, Live, Reply
from bot.outbox import BLOCKED_EVENT, LEASE_SECONDS, MAX_ATTEMPTS, Outbox, of_turn, retry_delay
from bot.storage.operator_queries import OperatorStore
from bot.storage.postgres import open_postgres
from tests import claims
from tests.conftest import new_postgres_database
from tests.states.helpers import play

T0 = 1_800_000_000.0
PACK = Reply("Voici vos fichiers", (Button("nav:new", "🔄 Nouvelle demande"),
                                    Button("", "Montant · 200,50", "200,50")),
             (Attachment("01_facture.pdf", b"%PDF-1.4 \x00\xff"),), Live("41"))


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def outbox_on(repository, clock: Clock) -> Outbox:
    return Outbox(repository, clock)


async def test_a_post_is_taken_once_whole_then_again_after_its_lease(repository):
    clock = Clock()
    outbox = outbox_on(repository, clock)
    await outbox.post("7", [PACK], kind="agent")
    (entry,) = await outbox.take()
    assert entry.replies == (PACK,) and entry.kind == "agent" and entry.sent_parts == 0
    assert await outbox.take() == []  # held by whoever took it
    await outbox.progress(entry, 1)
    clock.now += LEASE_SECONDS + 1  # its deliverer died: the entry comes back, part 1 sent
    (again,) = await outbox.take()
    assert (again.id, again.sent_parts) == (entry.id, 1)
    await outbox.done(again)
    clock.now += LEASE_SECONDS + 1
    assert await outbox.take() == []


async def test_a_chats_entries_go_out_in_order_one_at_a_time(repository):
    outbox = outbox_on(repository, Clock())
    for text in ("un", "deux"):
        await outbox.post("7", [Reply(text)], kind="agent")
    await outbox.post("8", [Reply("autre")], kind="agent")
    first = await outbox.take()
    assert sorted(entry.replies[0].text for entry in first) == ["autre", "un"]
    assert await outbox.take("7") == []  # « deux » waits for « un »
    await outbox.done(next(entry for entry in first if entry.chat_id == "7"))
    (second,) = await outbox.take("7")
    assert second.replies[0].text == "deux"


async def test_a_turns_entry_is_held_by_its_turn_and_taken_over_by_its_redelivery(
        service, repository):
    outbox = service.outbox
    replies = await service.handle("7", Command("start"), event_id="tg:1")
    assert await outbox.take() == []  # its own turn delivers it
    (entry,) = await outbox.take("7", event_id="tg:1")  # the update came again
    assert [reply.text for reply in entry.replies] == [reply.text for reply in replies]
    await outbox.done(of_turn("7", "tg:1", replies))  # settled by its event, as adapters do
    assert await outbox.take("7", event_id="tg:1") == []


async def test_a_failed_entry_waits_then_goes_before_the_chats_next_turn(repository):
    clock = Clock()
    outbox = outbox_on(repository, clock)
    await outbox.post("7", [Reply("un"), Reply("deux")], kind="agent")
    (entry,) = await outbox.take()
    await outbox.failed(entry, 1)
    assert await outbox.take() == []  # waits before the next try…
    (now,) = await outbox.take("7")  # …unless the chat writes: then it goes first
    assert (now.sent_parts, now.attempts) == (1, 1)
    await outbox.failed(now, 1)
    clock.now += retry_delay(2) + 1
    (later,) = await outbox.take()
    assert later.attempts == 2


async def test_an_entry_failing_again_and_again_is_given_up(repository):
    clock = Clock()
    outbox = outbox_on(repository, clock)
    await outbox.post("7", [Reply("un")], kind="agent")
    for _ in range(MAX_ATTEMPTS):
        (entry,) = await outbox.take("7")
        await outbox.failed(entry, 0)
    clock.now += 10 * 3600
    assert await outbox.take() == []


async def test_a_user_who_blocked_the_bot_gets_nothing_more_and_it_is_recorded(repository):
    outbox = outbox_on(repository, Clock())
    for text in ("un", "deux"):
        await outbox.post("7", [Reply(text)], kind="reminder")
    await outbox.post("8", [Reply("autre")], kind="reminder")
    await outbox.blocked("7")
    assert [entry.chat_id for entry in await outbox.take()] == ["8"]
    rows = await repository.database.fetch("SELECT chat_id, kind FROM events WHERE kind = ?",
                                           [BLOCKED_EVENT])
    assert rows == [("7", BLOCKED_EVENT)]


async def test_erasing_a_chat_erases_its_entries(repository):
    outbox = outbox_on(repository, Clock())
    await outbox.post("7", [PACK], kind="agent")
    await repository.erase_chat("7")
    assert await outbox.take() == []


async def test_workers_taking_together_take_each_entry_once(postgres_server):
    url = await new_postgres_database(postgres_server)
    workers = [await open_postgres(url) for _ in range(4)]
    try:
        outboxes = [Outbox(worker, Clock()) for worker in workers]
        for chat in range(20):
            await outboxes[0].post(str(chat), [Reply("bonjour")], kind="agent")
        taken = await asyncio.gather(*(outbox.take() for outbox in outboxes))
        ids = [entry.id for entries in taken for entry in entries]
        assert len(ids) == len(set(ids)) == 20
    finally:
        for worker in workers:
            await worker.close()


async def test_the_console_says_a_ready_claim_is_being_sent_until_its_pack_arrived(
        user, repository):
    """Issue 18 (1): « prête, envoi en cours » while the pack waits in the outbox."""
    await play(user, claims.POLOGNE)
    for _action, payload in claims.FINISH_WITHOUT_FILES[:-1]:
        await user.press(payload)
    final = await user.press(claims.FINISH_WITHOUT_FILES[-1][1], event_id="tg:99")
    store = OperatorStore(repository)
    row = await store.conversation_of(user.chat_id)
    assert row is not None and row.shown_status == "ready_sending"
    await user.service.outbox.done(of_turn(user.chat_id, "tg:99", final))
    row = await store.conversation_of(user.chat_id)
    assert row is not None and row.shown_status == "ready"
