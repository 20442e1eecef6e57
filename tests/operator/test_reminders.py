"""The console shows a conversation's reminders and follow-up answers, and the list filters
« relance envoyée », « remboursement reçu », « refus » (issue 16), on both backends."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from bot.domain.local_time import PARIS
from bot.reminders import send_due_reminders
from bot.service import ConversationService
from bot.storage.stores import open_store
from tests.conftest import AS_OF_2020, Clock
from tests.fakes.users import ScriptedUser
from tests.operator.conftest import READY
from tests.operator.test_list import references


async def send_reminders_and_answer(store, answer: str) -> None:
    """Two months on, at noon: the due reminders go out; the ready claim's user answers."""
    later = datetime.combine((datetime.now(UTC) + timedelta(days=60)).date(), time(12), PARIS)
    repository = await open_store(store)
    try:
        service = ConversationService(repository, clock=Clock(AS_OF_2020), now=lambda: later)
        await send_due_reminders(service, later)
        await ScriptedUser(service, READY).press(f"rem:{answer}:1")
    finally:
        await repository.close()


async def test_the_filters_find_reminders_sent_and_their_answers(admin, console_store):
    assert references((await admin.get("/operator/", params={"relance": "envoyee"})).text) == []
    await send_reminders_and_answer(console_store, "received")
    sent = await admin.get("/operator/", params={"relance": "envoyee"})
    # The ready claim's follow-up, the nudges of the two claims in progress; not the blocked.
    assert sorted(references(sent.text)) == ["SE-000001-1", "SE-000002-1", "SE-000004-1"]
    received = await admin.get("/operator/", params={"relance": "recu"})
    assert references(received.text) == ["SE-000001-1"]
    assert references((await admin.get("/operator/", params={"relance": "refus"})).text) == []
    await send_reminders_and_answer(console_store, "refused")
    assert references((await admin.get("/operator/", params={"relance": "refus"})).text) == [
        "SE-000001-1"]
    assert "Relance envoyée" in sent.text and 'value="recu"' in sent.text


async def test_a_wrong_filter_is_a_french_400(admin):
    page = await admin.get("/operator/", params={"relance": "'; DROP TABLE reminders; --"})
    assert page.status_code == 400


async def test_the_conversation_page_shows_reminders_planned_sent_and_answered(
        admin, console_store):
    before = await admin.get("/operator/conversations/1")
    assert "Suivi du remboursement" in before.text and "Prévu" in before.text
    await send_reminders_and_answer(console_store, "received")
    page = await admin.get("/operator/conversations/1")
    table = re.search(r'<table id="reminders">(.*?)</table>', page.text, re.S)
    assert table is not None
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table.group(1)))
    assert "Suivi du remboursement SE-000001-1" in row
    assert "Envoyé Remboursement reçu" in row


async def test_the_conversation_page_says_when_the_person_blocked_the_bot(admin, console_store):
    assert "a bloqué le bot" not in (await admin.get("/operator/conversations/1")).text
    repository = await open_store(console_store)
    try:
        await ConversationService(repository).outbox.blocked(READY)  # a 403 met on delivery
    finally:
        await repository.close()
    assert "a bloqué le bot : plus aucun rappel" in (
        await admin.get("/operator/conversations/1")).text
