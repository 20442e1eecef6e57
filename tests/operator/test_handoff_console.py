"""The console as a workplace: the queue, take, reply, notes, statuses, hand back, news.

Over HTTP (the ASGI app), on both backends; the traveller is played through the engine on the
same store, and what the bot is to send is read from the store's outbox.
"""

from __future__ import annotations

import pytest

from bot.domain.reply_json import replies_from_json
from bot.service import ConversationService
from bot.storage.stores import open_store
from states.snapshot import FlowSnapshot
from tests.conftest import AS_OF_2020, Clock
from tests.fakes.users import ScriptedUser
from tests.operator.conftest import IN_PROGRESS, audit_rows, csrf_of, rows_of

CONVERSATION = "/operator/conversations/2"  # SE-000002-1, chat IN_PROGRESS, at stay.stay_start


async def traveller(store, chat_id: str, *said: str) -> None:
    """Play the traveller of ``chat_id`` on the store: each text in turn."""
    repository = await open_store(store)
    try:
        user = ScriptedUser(ConversationService(repository, clock=Clock(AS_OF_2020)), chat_id)
        for text in said:
            await user.send(text)
    finally:
        await repository.close()


async def snapshot(store, chat_id: str = IN_PROGRESS) -> FlowSnapshot:
    rows = await rows_of(store, "SELECT snapshot FROM conversations WHERE chat_id = ?", (chat_id,))
    return FlowSnapshot.model_validate_json(str(rows[0][0]))


async def outbox(store, chat_id: str = IN_PROGRESS):
    """Return the replies waiting in the outbox for ``chat_id``, oldest first."""
    rows = await rows_of(store, "SELECT replies FROM outbox WHERE chat_id = ? ORDER BY id",
                         (chat_id,))
    return [reply for row in rows for reply in replies_from_json(str(row[0]))]


async def post_form(client, path: str, data: dict[str, str] | None = None, **kwargs):
    page = await client.get(CONVERSATION)
    return await client.post(path, data={"csrf": csrf_of(page.text), **(data or {})}, **kwargs)


@pytest.fixture
async def waiting(console_store):
    """SE-000002-1 asked for a person and wrote a question; SE-000004-1 asked after."""
    await traveller(console_store, IN_PROGRESS, "/conseiller", "Quelle date de fin mettre ?")
    await traveller(console_store, "1004", "parler à un conseiller")


async def test_the_queue_lists_the_travellers_waiting_oldest_first(agent, waiting):
    page = await agent.get("/operator/file-attente")
    assert page.status_code == 200
    assert page.text.index("SE-000002-1") < page.text.index("SE-000004-1")
    assert page.text.count("à traiter") == 2 and "0 min" in page.text
    assert "SE-000001-1" not in page.text  # the bot leads that one
    assert "Étape 3/5" in page.text  # where the claim stays


async def test_take_reply_status_and_hand_back_from_the_conversation_page(
        agent, waiting, console_store):
    taken = await post_form(agent, f"{CONVERSATION}/prendre")
    assert taken.status_code == 303 and taken.headers["location"].endswith("/2#conseiller")
    queue = await agent.get("/operator/file-attente")
    assert "en cours" in queue.text and "agnes (à vous)" in queue.text
    page = await agent.get(CONVERSATION)
    assert "Quelle date de fin mettre ?" in page.text  # the traveller's message
    sent = await post_form(agent, f"{CONVERSATION}/repondre",
                           {"texte": "Indiquez la date de votre retour en France."})
    assert sent.status_code == 303
    assert [r.text for r in await outbox(console_store)] == [
        "👤 Conseiller·ère Assurance Maladie : Indiquez la date de votre retour en France."]
    page = await agent.get(CONVERSATION)
    assert "Conseiller·ère agnes :" in page.text  # colleagues see who wrote it
    assert (await snapshot(console_store)).handoff.queue.value == "awaiting_user"
    status = await post_form(agent, f"{CONVERSATION}/statut", {"statut": "taken"})
    assert status.status_code == 303
    assert (await snapshot(console_store)).handoff.queue.value == "taken"
    back = await post_form(agent, f"{CONVERSATION}/rendre")
    assert back.status_code == 303
    resumed = await snapshot(console_store)
    assert resumed.state == "stay.stay_start" and resumed.handoff.resolved_by == "agnes"
    assert "l'assistant reprend votre demande" in (await outbox(console_store))[-1].text
    assert "assistant mène la conversation" in (await agent.get(CONVERSATION)).text
    actions = [(r[0], r[1], r[2], r[4]) for r in await audit_rows(console_store)
               if r[1] in ("take", "reply", "status", "hand_back")]
    assert actions == [("agnes", "take", "SE-000002-1", ""),
                       ("agnes", "reply", "SE-000002-1", "texte"),
                       ("agnes", "status", "SE-000002-1", "taken"),
                       ("agnes", "hand_back", "SE-000002-1", "")]


async def test_a_file_reply_is_sent_as_a_document(agent, waiting, console_store):
    sent = await post_form(agent, f"{CONVERSATION}/repondre", {"texte": ""},
                           files={"fichier": ("formulaire S3125.pdf", b"%PDF-1.4 test",
                                              "application/pdf")})
    assert sent.status_code == 303
    [reply] = await outbox(console_store)
    assert reply.text == "👤 Conseiller·ère Assurance Maladie : voici un document."
    assert [(a.filename, a.data) for a in reply.attachments] == [
        ("formulaire S3125.pdf", b"%PDF-1.4 test")]
    assert "[fichier] formulaire S3125.pdf" in (await agent.get(CONVERSATION)).text


async def test_notes_stay_among_advisers(agent, waiting, console_store):
    noted = await post_form(agent, f"{CONVERSATION}/note", {"note": "Rappeler lundi, dossier S1"})
    assert noted.status_code == 303
    assert "Rappeler lundi, dossier S1" in (await agent.get(CONVERSATION)).text
    assert await outbox(console_store) == []
    said = await rows_of(console_store, "SELECT said, replies FROM turns")
    assert not any("Rappeler" in str(cell) for row in said for cell in row)
    assert ("agnes", "note", "SE-000002-1") in [r[:3] for r in await audit_rows(console_store)]


async def test_news_brings_new_messages_and_notes_without_reloading(agent, waiting,
                                                                    console_store):
    first = (await agent.get(f"{CONVERSATION}/nouveau.json?tours=0&lignes=0&notes=0")).json()
    assert first["lines"] and first["status"].startswith("Avec un conseiller")
    again = await agent.get(f"{CONVERSATION}/nouveau.json?tours={first['turns']}"
                            f"&lignes={first['line_count']}&notes=0")
    assert again.json()["lines"] == []
    await traveller(console_store, IN_PROGRESS, "Vous êtes là ?")
    await post_form(agent, f"{CONVERSATION}/note", {"note": "vu"})
    news = (await agent.get(f"{CONVERSATION}/nouveau.json?tours={first['turns']}"
                            f"&lignes={first['line_count']}&notes=0")).json()
    assert [(line["direction"], line["text"]) for line in news["lines"]] == [
        ("in", "Vous êtes là ?")]
    assert [(note["author"], note["text"]) for note in news["notes"]] == [("agnes", "vu")]
    bad = await agent.get(f"{CONVERSATION}/nouveau.json?tours=-1&lignes=0&notes=0")
    assert bad.status_code == 400


async def test_acts_that_do_not_apply_say_so(agent, console_store):
    await post_form(agent, f"{CONVERSATION}/repondre", {"texte": "Bonjour"})
    page = await agent.get(CONVERSATION)
    assert "(ou plus) entre les mains" in page.text
    assert await outbox(console_store) == []
    empty = await post_form(agent, f"{CONVERSATION}/note", {"note": "  "})
    assert empty.status_code == 303
    assert "Écrivez la note" in (await agent.get(CONVERSATION)).text


async def test_an_adviser_may_step_in_unasked(agent, console_store):
    page = await agent.get(CONVERSATION)
    assert "Prendre la main" in page.text
    await post_form(agent, f"{CONVERSATION}/prendre")
    stepped = await snapshot(console_store)
    assert stepped.state == "handoff" and stepped.handoff.agent == "agnes"


async def test_replies_are_bounded(agent, waiting):
    too_long = await post_form(agent, f"{CONVERSATION}/repondre", {"texte": "x" * 4001})
    assert too_long.status_code == 400 and "4 000 caractères" in too_long.text
    too_big = await post_form(agent, f"{CONVERSATION}/repondre", {"texte": ""},
                              files={"fichier": ("gros.pdf", b"0" * 10_100_000,
                                                 "application/pdf")})
    assert too_big.status_code == 413


async def test_viewers_read_the_queue_but_may_not_act(viewer, waiting, console_store):
    queue = await viewer.get("/operator/file-attente")
    assert "SE-000002-1" in queue.text and ">Prendre<" not in queue.text
    refused = await post_form(viewer, f"{CONVERSATION}/prendre")
    assert refused.status_code == 403 and "réservée aux conseillers" in refused.text
    assert (await snapshot(console_store)).handoff.agent is None


async def test_acts_need_the_forms_token(agent, waiting, console_store):
    for act in ("prendre", "repondre", "note", "statut", "rendre"):
        forged = await agent.post(f"{CONVERSATION}/{act}", data={"csrf": "forged",
                                                                  "texte": "x", "note": "x"})
        assert forged.status_code == 403, act
    assert (await snapshot(console_store)).handoff.agent is None
