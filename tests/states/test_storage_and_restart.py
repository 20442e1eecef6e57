"""The state is saved every turn: a restart in the middle loses nothing; redelivery is ignored."""

from __future__ import annotations

import stat

from bot.service import ConversationService
from bot.storage.codec import unpack
from bot.storage.operator_queries import OperatorStore
from bot.storage.sqlite import open_repository
from bot.storage.stores import open_store
from tests import claims
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play, snapshot_of


async def test_restart_in_the_middle_continues_at_the_same_question(store_target, clock):
    repository = await open_store(store_target)
    user = ScriptedUser(ConversationService(repository, clock=clock))
    await play(user, claims.POLOGNE, until="stay.country")
    before = await snapshot_of(user)
    await repository.close()  # the process stops

    repository = await open_store(store_target)
    user = ScriptedUser(ConversationService(repository, clock=clock))
    await user.send("/start")
    assert "demande en cours" in user.text
    await user.press("nav:resume")
    assert "pays où ont été dispensés" in user.text
    after = await snapshot_of(user)
    assert after.draft == before.draft and after.state == "stay.country"
    await user.send("Pologne")
    assert (await snapshot_of(user)).state == "stay.ceam"
    await repository.close()


async def test_a_restart_while_a_conversion_waits_asks_its_date_again(store_target, clock):
    repository = await open_store(store_target)
    user = ScriptedUser(ConversationService(repository, clock=clock))
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("230,50 zloty")
    assert "À quelle date avez-vous payé" in user.text
    await repository.close()  # the process stops

    repository = await open_store(store_target)
    user = ScriptedUser(ConversationService(repository, clock=clock))
    await user.send("/start")
    await user.press("nav:resume")
    assert "À quelle date avez-vous payé" in user.text  # not the amount's question again
    await user.send("01/09/2020")
    assert "230,5 PLN" in user.text and "taux BCE" in user.text
    await repository.close()


async def test_same_event_delivered_twice_is_handled_once(user):
    await play(user, claims.POLOGNE, until="care.amount")
    first = await user.send("200,50", event_id="tg:41")
    assert first
    again = await user.send("999", event_id="tg:41")
    # The turn is not played again: its replies wait in the outbox until delivered.
    assert again == []
    waiting = await user.service.outbox.take(user.chat_id, event_id="tg:41")
    assert [reply.text for reply in waiting[0].replies] == [reply.text for reply in first]
    assert str((await snapshot_of(user)).draft.amount) == "200.50"
    assert (await snapshot_of(user)).state == "care.care_link"


async def test_a_final_turn_keeps_its_files_in_the_outbox_until_delivered(user):
    """Issue 18 (1): the pack survives a crash before it reached the user, files included."""
    await play(user, claims.POLOGNE)
    for _action, payload in claims.FINISH_WITHOUT_FILES[:-1]:
        await user.press(payload)
    final = await user.press(claims.FINISH_WITHOUT_FILES[-1][1], event_id="tg:99")
    sent = [attachment for reply in final for attachment in reply.attachments]
    assert sent
    again = await user.press(claims.FINISH_WITHOUT_FILES[-1][1], event_id="tg:99")
    assert again == []
    (waiting,) = await user.service.outbox.take(user.chat_id, event_id="tg:99")
    assert [a for reply in waiting.replies for a in reply.attachments] == sent
    await user.service.outbox.done(waiting)
    assert await user.service.outbox.take(user.chat_id, event_id="tg:99") == []


async def test_transcript_keeps_both_directions(user, repository):
    await play(user, claims.POLOGNE, until="care.amount")
    store = OperatorStore(repository)
    lines = await store.transcript(user.chat_id)
    assert ("in", "NATHALIE") in [(line.direction, line.text) for line in lines]
    assert any(line.direction == "out" and "Étape 2/5" in line.text
               and "⬅️ Retour" in line.buttons and "[⬅️ Retour]" in line.plain for line in lines)


async def test_the_bots_prompts_are_stored_as_catalog_keys(user, repository):
    """Issue 10: a reply is its keys and payloads, packed, not the prompt's words."""
    await play(user, claims.POLOGNE, until="care.amount")
    rows = await repository.database.fetch(
        "SELECT codec, replies FROM turns WHERE chat_id = ? ORDER BY id", (user.chat_id,))
    dictionaries = await repository.dictionaries()
    stored = [unpack(replies, dictionaries[codec]) for codec, replies in rows]
    assert all("question." in replies or "state." in replies for replies in stored[-3:])
    assert not any("Étape" in replies for replies in stored)  # the header's words are not
    assert all("Étape".encode() not in bytes(replies) for _, replies in rows)
    packed = sum(len(replies) for _, replies in rows)
    assert packed < sum(len(replies.encode()) for replies in stored) / 2


async def test_database_file_is_private_and_versioned(tmp_path):
    path = tmp_path / "private.sqlite3"
    repository = await open_repository(path)
    async with repository.connection.execute("PRAGMA user_version") as cursor:
        assert (await cursor.fetchone())[0] >= 1
    async with repository.connection.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone())[0] == "wal"
    await repository.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reopened = await open_repository(path)  # migrations are idempotent
    await reopened.close()


async def test_delete_erases_everything_after_confirmation(user, repository):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/supprimer")
    assert "C'est définitif" in user.text
    assert await repository.load(user.chat_id) is not None
    await user.press("nav:erase_yes")
    assert "effacées" in user.text
    assert await repository.load(user.chat_id) is None
    assert await repository.database.fetch(
        "SELECT COUNT(*) FROM turns WHERE chat_id = ?", (user.chat_id,)) == [(0,)]
    assert await repository.database.fetch(
        "SELECT kind, detail, chat_id FROM events WHERE kind = 'erasure'") == [
            ("erasure", "", None)]


async def test_concurrent_turns_of_two_chats_never_mix_their_transactions(repository):
    import asyncio
    from datetime import UTC, datetime

    from bot.storage.repository import ConsoleColumns, StoredDocument, Turn

    now = datetime.now(UTC)

    def turn(chat_id: str, kind: str | None) -> Turn:
        document = StoredDocument(f"doc-{chat_id}", chat_id, 1, "photo", "jpeg", b"x", b"y", 1)
        return Turn(chat_id=chat_id, state="care.amount", status="in_progress",
                    snapshot_json="{}", at=now, said="x",
                    columns=ConsoleColumns(1, 2, "ANNA", "PL", None, ("ZON-04",)),
                    event_id=f"ev-{chat_id}", events=((kind, "care.amount"),),
                    documents=(document,))

    # Chat A's turn fails at its last row (an event the schema refuses) while chat B saves.
    results = await asyncio.gather(repository.save_turn(turn("A", None)),
                                   repository.save_turn(turn("B", "move")),
                                   return_exceptions=True)
    assert isinstance(results[0], Exception) and results[1] is None
    assert await repository.load("A") is None  # nothing of A's failed turn was kept
    assert await repository.load("B") == "{}"
    assert not await repository.seen("ev-A") and await repository.seen("ev-B")
    rows = await repository.database.fetch("SELECT chat_id FROM turns ORDER BY id")
    assert [row[0] for row in rows] == ["B"]
    # The document of the failed turn went with it: one transaction per turn.
    assert [d.id for d in await repository.documents("A", 1)] == []
    assert [d.id for d in await repository.documents("B", 1)] == ["doc-B"]
    rows = await repository.database.fetch(
        "SELECT chat_id, beneficiary, country, step FROM conversations")
    assert list(rows) == [("B", "ANNA", "PL", 2)]


async def test_an_album_keeps_its_good_photos_and_names_the_bad_one(user, repository):
    import io

    from PIL import Image, ImageDraw

    def photo() -> bytes:
        image = Image.new("RGB", (1200, 1600), "white")
        ImageDraw.Draw(image).text((100, 100), "TOTAL 42,00 EUR", fill="black")
        buffer = io.BytesIO()
        image.save(buffer, "JPEG")
        return buffer.getvalue()

    await play(user, claims.POLOGNE)
    await user.album([photo(), b"not an image at all", photo()])
    assert "Photo n°2 de l'album laissée de côté" in user.text
    assert "2 page(s)" in user.text
    stored = await repository.documents(user.chat_id, 1)
    assert len(stored) == 1 and stored[0].page_count == 2


async def test_an_erasure_during_a_turn_is_not_undone_by_it(user, repository, monkeypatch):
    await play(user, claims.POLOGNE, until="care.amount")
    real_open = repository.open_turn

    async def open_then_erase(chat_id, event_id):
        context = await real_open(chat_id, event_id)
        await repository.erase_chat(chat_id)  # an operator erases it while the turn runs
        return context

    monkeypatch.setattr(repository, "open_turn", open_then_erase)
    await user.send("200,50")
    assert "viennent d'être effacées" in user.text
    assert await repository.load(user.chat_id) is None
    rows = await repository.database.fetch(
        "SELECT COUNT(*) FROM turns WHERE chat_id = ?", (user.chat_id,))
    assert next(iter(rows))[0] == 0


async def test_a_file_that_is_not_sqlite_is_refused_without_leaving_threads(tmp_path):
    import asyncio
    import threading

    import pytest

    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    def connection_threads() -> int:  # the loop's own executor threads are not ours
        return sum(not t.name.startswith("asyncio") for t in threading.enumerate())

    before = connection_threads()
    with pytest.raises(Exception, match=r"not a database|file is not"):
        await open_repository(path)
    for _ in range(100):  # a stopped connection's thread ends a moment after close()
        if connection_threads() == before:
            break
        await asyncio.sleep(0.02)
    assert connection_threads() == before  # both connection threads were stopped


