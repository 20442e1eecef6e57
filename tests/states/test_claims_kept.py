"""Issue 14 (1, 6): a finished claim is never wiped, the chat's claims are listed and sent again,
each claim has a reference, and the conversation speaks the user's language."""

from __future__ import annotations

from bot.domain.io import Command
from bot.storage.operator_queries import OperatorStore
from states.snapshot import FlowSnapshot
from tests import claims
from tests.states.helpers import play, snapshot_of


async def _finish(user) -> None:
    await play(user, [*claims.POLOGNE, *claims.FINISH_WITHOUT_FILES])
    assert "Votre dossier est prêt" in user.text


async def test_start_after_a_ready_claim_keeps_it_and_begins_another(user, repository):
    await _finish(user)
    await user.send("/start")
    current = await snapshot_of(user)
    assert current.claim_no == 2 and current.draft.beneficiary_name is None
    kept = await repository.archived_claim(user.chat_id, 1)
    assert kept is not None
    archived = FlowSnapshot.model_validate_json(kept)
    assert archived.status == "ready" and archived.draft.beneficiary_name == "NATHALIE"
    assert archived.draft.amount is not None  # every answer kept, read-only


async def test_restarting_a_claim_in_progress_is_confirmed_and_keeps_the_old_one(user, repository):
    await play(user, claims.POLOGNE[:6])
    await user.send("/start")
    assert [b.payload for b in user.buttons] == ["nav:resume", "nav:restart_yes"]
    assert await repository.archived_claim(user.chat_id, 1) is None  # nothing happened yet
    await user.press("nav:restart_yes")
    kept = FlowSnapshot.model_validate_json(await repository.archived_claim(user.chat_id, 1))
    assert kept.status == "abandoned" and kept.draft.beneficiary_name == "NATHALIE"


async def test_mes_demandes_lists_the_claims_and_sends_a_ready_one_again(user):
    await _finish(user)
    await user.send("/start")
    await user.send("/mes_demandes")
    listing = user.turn[0]
    assert "SE-000001-1" in listing.text and "NATHALIE" in listing.text
    assert "prête" in listing.text
    assert [b.payload for b in listing.buttons] == ["pack:1"]
    await user.press("pack:1")
    assert "SE-000001-1" in user.text
    files = [a.filename for r in user.turn for a in r.attachments]
    assert files and files[0] == "00_recapitulatif.pdf"
    await user.press("pack:2")  # claim 2 is not ready: nothing is sent
    assert not [a for r in user.turn for a in r.attachments]


async def test_recap_and_pack_show_the_reference(user):
    await play(user, claims.POLOGNE[:6])
    await user.send("/recap")
    assert "Référence de votre demande : SE-000001-1" in user.text


async def test_the_console_lists_the_chat_under_its_current_claims_reference(user, repository):
    await _finish(user)
    await user.send("/start")
    store = OperatorStore(repository)
    assert "SE-000001-2" in (await store.conversation_of(user.chat_id)).reference


async def test_a_new_conversation_speaks_the_users_telegram_language(service):
    replies = await service.handle("en-user", Command("start"), language="en-GB")
    assert "Hello" in replies[-1].text
    replies = await service.handle("fr-user", Command("start"), language="fr")
    assert "Bonjour" in replies[-1].text
    replies = await service.handle("nobody", Command("start"))
    assert "Bonjour" in replies[-1].text


async def test_langue_switches_at_any_time_and_keeps_every_answer(user):
    await play(user, claims.POLOGNE[:6])
    await user.send("/langue")
    assert "I now speak English" in user.text
    snapshot = await snapshot_of(user)
    assert snapshot.language == "en" and snapshot.draft.beneficiary_name == "NATHALIE"
    await user.send("/language")
    assert (await snapshot_of(user)).language == "fr"
