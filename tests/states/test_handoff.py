"""A person in the conversation, through the engine: ask, the bot quiet, advisers, hand back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.opening_hours import AdviserDesk
from bot.domain.reply_json import replies_from_json
from bot.service import ConversationService
from states.events import AgentReply, HandBack, Overdue, SetQueue, Take
from states.snapshot import Queue
from tests import claims
from tests.conftest import AS_OF_2020, Clock
from tests.fakes.images import make_jpeg
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play, snapshot_of

# Thursday 15 October 2020, 10:00 in Paris (08:00 UTC): the advisers are at work.
OPEN = datetime(2020, 10, 15, 8, 0, tzinfo=UTC)
# Saturday 17 October 2020, 11:00 in Paris: closed until Monday 9:00.
SATURDAY = datetime(2020, 10, 17, 9, 0, tzinfo=UTC)


class Now:
    """A settable instant."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def now() -> Now:
    return Now(OPEN)


@pytest.fixture
def desk() -> AdviserDesk:
    return AdviserDesk.of("Mon-Fri 09:00-17:00", 30)


@pytest.fixture
def service(repository, now, desk) -> ConversationService:
    return ConversationService(repository, clock=Clock(AS_OF_2020), now=now, desk=desk)


@pytest.fixture
def user(service) -> ScriptedUser:
    return ScriptedUser(service, "4242")


async def posted(repository, chat_id: str) -> list[str]:
    """Return the texts waiting in the outbox for ``chat_id``, oldest first."""
    rows = await repository.database.fetch(
        "SELECT replies FROM outbox WHERE chat_id = ? ORDER BY id", (chat_id,))
    return [reply.text for row in rows for reply in replies_from_json(str(row[0]))]


async def test_asking_for_a_person_says_who_answers_when_and_keeps_the_claim(user):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/conseiller")
    text = user.text
    assert "conseiller·ère de l'Assurance Maladie va vous répondre ici" in text
    assert "dans les 30 minutes" in text
    assert "du lundi au vendredi de 9 h à 17 h (heure de Paris)" in text
    assert "Étape 2/5" in text  # where the claim stays
    assert user.payloads == ["nav:handback"]
    snapshot = await snapshot_of(user)
    assert snapshot.state == "handoff" and snapshot.claim_state == "care.amount"
    assert snapshot.handoff is not None and snapshot.handoff.queue is Queue.WAITING
    assert snapshot.draft.beneficiary_name == "NATHALIE"


async def test_outside_the_hours_the_bot_says_when_advisers_are_back(user, now):
    now.moment = SATURDAY
    await play(user, claims.POLOGNE, until="care.care_context")
    await user.send("Parler à un conseiller")  # typed, not only the command
    assert "absents pour le moment : la réponse arrivera ici lundi à 9 h" in user.text


async def test_help_and_a_block_offer_a_person(user):
    await play(user, claims.POLOGNE, until="care.care_link")
    await user.press("nav:help")
    assert user.payloads[-1] == "nav:person"
    await user.press("a:care.care_link:militaire")  # blocked (a rule outside the claim)
    assert (await snapshot_of(user)).state == "blocked"
    assert "nav:person" in user.payloads
    await user.press("nav:person")
    snapshot = await snapshot_of(user)
    assert snapshot.state == "handoff" and snapshot.claim_state == "blocked"


async def test_while_a_person_handles_it_the_bot_is_quiet_and_keeps_the_messages(
        user, service, repository):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/conseiller")
    for said in ("Bonjour, je ne sais pas quel montant mettre", "/recap", "200,50"):
        replies = await user.send(said)
        if said.startswith("/"):  # a command: a reminder that a person answers, and the way out
            assert "s'occupe de votre conversation" in user.text
            assert user.payloads == ["nav:handback"]
        else:
            assert replies == []
    await user.press("a:care.care_link:accident_tiers")  # an old button: for the person too
    assert user.turn == []
    snapshot = await snapshot_of(user)
    assert snapshot.state == "handoff" and snapshot.draft.amount is None
    rows = await repository.database.fetch(
        "SELECT said FROM turns WHERE chat_id = ? ORDER BY id", (user.chat_id,))
    assert [str(row[0]) for row in rows][-4:] == [
        "Bonjour, je ne sais pas quel montant mettre", "/summary", "200,50",
        "[bouton] a:care.care_link:accident_tiers"]


async def test_files_are_still_converted_and_filed_during_a_hand_off(user):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/conseiller")
    await user.upload(make_jpeg(), "facture.jpg")
    assert "Document reçu" in user.text and "type de document" in user.text
    snapshot = await snapshot_of(user)
    assert [doc.filename for doc in snapshot.draft.documents] == ["facture.jpg"]
    await user.press(user.payloads[0])  # sort it: said in one line, no question asked
    assert len(user.turn) == 1 and "Étape" not in user.text
    assert (await snapshot_of(user)).draft.documents[0].category is not None


async def test_an_adviser_takes_replies_and_hands_back_at_the_same_question(
        user, service, repository):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/conseiller")
    assert await service.act(user.chat_id, Take("alice"))
    assert (await snapshot_of(user)).handoff.agent == "alice"
    assert await service.act(user.chat_id, AgentReply("alice", "Indiquez le total en euros."))
    assert await posted(repository, user.chat_id) == [
        "👤 Conseiller·ère Assurance Maladie : Indiquez le total en euros."]
    assert (await snapshot_of(user)).handoff.queue is Queue.AWAITING_USER
    await user.send("D'accord merci")
    assert (await snapshot_of(user)).handoff.queue is Queue.TAKEN
    assert await service.act(user.chat_id, HandBack("alice"))
    back = (await posted(repository, user.chat_id))[-1]
    assert "l'assistant reprend votre demande là où elle en était" in back
    assert "montant" in back.lower()  # the same question, asked again
    snapshot = await snapshot_of(user)
    assert snapshot.state == "care.amount" and snapshot.handoff.resolved_by == "alice"
    await user.send("200,50 €")  # the bot answers again
    assert (await snapshot_of(user)).state == "care.care_link"


async def test_acts_that_do_not_apply_are_declined_and_change_nothing(user, service):
    await play(user, claims.POLOGNE, until="care.amount")
    assert not await service.act(user.chat_id, AgentReply("alice", "Bonjour"))
    assert not await service.act(user.chat_id, HandBack("alice"))
    assert not await service.act("nobody", Take("alice"))
    assert (await snapshot_of(user)).state == "care.amount"
    await user.send("/conseiller")
    assert await service.act(user.chat_id, Take("alice"))
    assert not await service.act(user.chat_id, Take("alice"))  # already hers
    assert not await service.act(user.chat_id, AgentReply("alice", ""))


async def test_the_queue_statuses_and_resolved_hands_back(user, service):
    await play(user, claims.POLOGNE, until="stay.country")
    await user.send("/conseiller")
    assert await service.act(user.chat_id, SetQueue("bob", Queue.AWAITING_USER))
    handoff = (await snapshot_of(user)).handoff
    assert handoff.queue is Queue.AWAITING_USER and handoff.agent == "bob"
    assert await service.act(user.chat_id, SetQueue("bob", Queue.WAITING))
    assert (await snapshot_of(user)).handoff.agent is None
    assert await service.act(user.chat_id, SetQueue("bob", Queue.RESOLVED))
    assert (await snapshot_of(user)).state == "stay.country"


async def test_an_adviser_may_step_in_unasked(user, service):
    await play(user, claims.POLOGNE, until="stay.country")
    assert await service.act(user.chat_id, Take("alice"))
    snapshot = await snapshot_of(user)
    assert snapshot.state == "handoff" and snapshot.handoff.queue is Queue.TAKEN
    assert await user.send("Polska") == []  # now for the person


async def test_the_traveller_may_go_back_to_the_assistant(user):
    await play(user, claims.POLOGNE, until="care.care_context")
    await user.send("/conseiller")
    await user.send("/conseiller")
    assert "bien transmise" in user.text
    await user.press("nav:handback")
    assert "L'assistant reprend votre demande" in user.text
    assert "pourquoi vous avez été soigné" in user.text.lower() or "soins" in user.text.lower()
    snapshot = await snapshot_of(user)
    assert snapshot.state == "care.care_context" and snapshot.handoff.resolved_by == "user"


async def test_nobody_answering_in_time_offers_the_phone_line_once(user, service, repository,
                                                                   now):
    await play(user, claims.POLOGNE, until="care.amount")
    now.moment = datetime(2020, 10, 16, 14, 50, tzinfo=UTC)  # Friday 16:50 in Paris
    await user.send("/conseiller")
    now.moment = datetime(2020, 10, 16, 16, 30, tzinfo=UTC)  # 18:30: closed, 10 open minutes
    assert not await service.act(user.chat_id, Overdue())
    now.moment = datetime(2020, 10, 19, 7, 19, tzinfo=UTC)  # Monday 9:19
    assert not await service.act(user.chat_id, Overdue())
    now.moment = datetime(2020, 10, 19, 7, 20, tzinfo=UTC)  # Monday 9:20: 30 open minutes
    assert await service.act(user.chat_id, Overdue())
    told = await posted(repository, user.chat_id)
    assert len(told) == 1
    assert "36 46" in told[0] and "+33 1 84 90 36 46" in told[0]
    assert not await service.act(user.chat_id, Overdue())  # said once


async def test_an_answer_in_time_means_no_phone_line(user, service, now):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/conseiller")
    assert await service.act(user.chat_id, AgentReply("alice", "Je regarde votre dossier."))
    now.moment = datetime(2020, 10, 16, 8, 0, tzinfo=UTC)
    assert not await service.act(user.chat_id, Overdue())


async def test_the_hand_off_survives_a_restart(user, repository, now, desk):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/conseiller")
    restarted = ScriptedUser(ConversationService(repository, clock=Clock(AS_OF_2020), now=now,
                                                 desk=desk), user.chat_id)
    assert await restarted.send("Vous êtes là ?") == []
    assert (await snapshot_of(restarted)).state == "handoff"


async def test_erasing_still_works_during_a_hand_off(user, repository):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/conseiller")
    await user.send("/supprimer")
    await user.press("nav:erase_yes")
    assert await repository.load(user.chat_id) is None


async def test_the_trace_records_the_hand_off(user, service, repository):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/conseiller")
    await service.act(user.chat_id, Take("alice"))
    await service.act(user.chat_id, HandBack("alice"))
    rows = await repository.database.fetch(
        "SELECT kind, detail FROM events WHERE chat_id = ? AND (kind = 'handoff'"
        " OR detail LIKE 'hand%') ORDER BY id", (user.chat_id,))
    assert [(str(k), str(d)) for k, d in rows] == [
        ("move", "hand_off care.amount handoff"), ("handoff", "asked"), ("handoff", "taken"),
        ("move", "hand_back handoff care.amount"), ("handoff", "returned")]


async def test_the_watch_tells_each_late_traveller_once(service, repository, now):
    from bot.handoff_watch import warn_late

    late, answered = ScriptedUser(service, "51"), ScriptedUser(service, "52")
    for user in (late, answered):
        await play(user, claims.POLOGNE, until="care.amount")
        await user.send("/conseiller")
    await service.act("52", AgentReply("alice", "Bonjour"))
    assert await warn_late(service, repository, OPEN) == 0
    now.moment = datetime(2020, 10, 15, 8, 30, tzinfo=UTC)
    assert await warn_late(service, repository, now.moment) == 1
    assert await warn_late(service, repository, now.moment) == 0
    assert "36 46" in (await posted(repository, "51"))[0]
