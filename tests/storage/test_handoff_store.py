"""The front office's store, on both backends: who is with a person, and private notes."""

from __future__ import annotations

from bot.storage.handoff_queries import HandoffStore
from tests import claims
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play


async def test_the_conversations_with_a_person_are_those_in_hand_off(service, repository):
    asking, other = ScriptedUser(service, "10"), ScriptedUser(service, "11")
    await play(other, claims.POLOGNE, until="care.amount")
    await play(asking, claims.POLOGNE, until="stay.country")
    await asking.send("/conseiller")
    store = HandoffStore(repository.database)
    found = await store.with_person()
    assert [(row.chat_id, row.reference, row.beneficiary) for row in found] == [
        ("10", "SE-000002-1", "NATHALIE")]
    assert '"state":"handoff"' in found[0].snapshot_json
    await asking.press("nav:handback")
    assert await store.with_person() == []


async def test_notes_are_kept_apart_in_order_and_erased_with_the_chat(service, repository):
    user = ScriptedUser(service, "12")
    await play(user, claims.POLOGNE, until="care.amount")
    store = HandoffStore(repository.database)
    turns = await store.turn_count("12")
    await store.add_note("12", "alice", "Appelée le 12/10, rappeler lundi")
    await store.add_note("12", "bob", "Facture illisible")
    await store.add_note("13", "bob", "another chat")
    notes = await store.notes("12")
    assert [(n.author, n.text) for n in notes] == [("alice", "Appelée le 12/10, rappeler lundi"),
                                                   ("bob", "Facture illisible")]
    assert [n.text for n in await store.notes("12", after=notes[0].id)] == ["Facture illisible"]
    assert await store.turn_count("12") == turns  # a note is no turn: never sent, never shown
    await user.send("/supprimer")
    await user.press("nav:erase_yes")
    assert await store.notes("12") == []
    assert len(await store.notes("13")) == 1
