"""Issue 14 (4): « Mes documents »: list, remove (confirmed), replace, change the category.

Driven through the service with a real SQLite file: a removed or replaced document leaves
the claim and the store.
"""

from __future__ import annotations

import pytest

from tests import claims
from tests.fakes.images import make_jpeg
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play, snapshot_of


async def _sent(user: ScriptedUser, name: str, category: str, seed: int) -> str:
    """Send a small photo and sort it; return its document id."""
    await user.upload(make_jpeg(600, 800, seed=seed), name)
    doc_id = (await snapshot_of(user)).draft.documents[-1].id
    await user.press(f"cat:{doc_id}:{category}")
    return doc_id


async def _with_three(user: ScriptedUser) -> list[str]:
    """At step 4 with a facture, a proof of payment and a second facture."""
    await play(user, claims.POLOGNE)
    return [await _sent(user, "facture_clinique.jpg", "facture", 1),
            await _sent(user, "ticket.jpg", "preuve_paiement", 2),
            await _sent(user, "photo-7.jpg", "facture", 3)]


async def _stored(user: ScriptedUser) -> list[str]:
    return [doc.id for doc in await user.service._repository.documents(user.chat_id, 1)]


async def test_the_list_names_every_file_with_its_category_and_pages(user):
    ids = await _with_three(user)
    assert "nav:my_documents" in user.payloads  # offered at step 4
    await user.press("nav:my_documents")
    assert "Vos documents (3)" in user.text
    assert "• n°1 · Facture · 1 page(s) · facture_clinique.jpg" in user.text
    assert "• n°2 · Preuve de paiement · 1 page(s) · ticket.jpg" in user.text
    assert user.payloads == [f"doc:open:{doc_id}" for doc_id in ids] + ["nav:resume"]
    for typed in ("/mes_documents", "mes documents", "My documents"):
        await user.send(typed)
        assert "Vos documents (3)" in user.text, typed


async def test_removing_asks_first_then_erases_the_file_everywhere(user):
    ids = await _with_three(user)
    await user.press(f"doc:open:{ids[1]}")
    assert f"doc:remove:{ids[1]}" in user.payloads
    await user.press(f"doc:remove:{ids[1]}")
    assert "Retirer le document n°2 · Preuve de paiement" in user.text
    assert user.payloads == [f"doc:erase:{ids[1]}", "nav:resume"]
    assert len((await snapshot_of(user)).draft.documents) == 3  # nothing removed yet
    await user.press(f"doc:erase:{ids[1]}")
    assert "Document retiré et effacé : n°2 · Preuve de paiement" in user.text
    saved = await snapshot_of(user)
    assert [doc.id for doc in saved.draft.documents] == [ids[0], ids[2]]
    assert await _stored(user) == [ids[0], ids[2]]  # its files left the store with the turn
    assert "⬜ Preuve de paiement" in user.turn[-1].text  # the live checklist says it again


async def test_resume_keeps_the_document(user):
    ids = await _with_three(user)
    await user.press(f"doc:remove:{ids[0]}")
    await user.press("nav:resume")
    assert [doc.id for doc in (await snapshot_of(user)).draft.documents] == ids


async def test_the_next_file_takes_the_place_and_type_of_the_one_replaced(user):
    ids = await _with_three(user)
    await user.press(f"doc:replace:{ids[0]}")
    assert "il remplacera le document n°1 · Facture" in user.text
    await user.upload(make_jpeg(600, 800, seed=9), "facture_hopital.jpg")
    assert "Document remplacé : n°1 · Facture · 1 page(s) · facture_hopital.jpg" in user.text
    assert not any(payload.startswith("cat:") for payload in user.payloads)  # type kept
    saved = await snapshot_of(user)
    new = saved.draft.documents[0]
    assert new.id not in ids and new.category == "facture"
    assert [doc.id for doc in saved.draft.documents][1:] == ids[1:]
    assert ids[0] not in await _stored(user)
    await user.upload(make_jpeg(600, 800, seed=10), "other.jpg")  # replaces nothing more
    assert len((await snapshot_of(user)).draft.documents) == 4


async def test_not_replacing_after_all(user):
    ids = await _with_three(user)
    await user.press(f"doc:replace:{ids[0]}")
    await user.press(f"doc:keep:{ids[0]}")
    assert "est gardé tel quel" in user.text
    await user.upload(make_jpeg(600, 800, seed=9), "new.jpg")
    assert len((await snapshot_of(user)).draft.documents) == 4


async def test_changing_the_type_with_the_category_buttons(user):
    ids = await _with_three(user)
    await user.press(f"doc:type:{ids[2]}")
    assert "Quel est le type du document n°3" in user.text
    assert f"cat:{ids[2]}:prescription" in user.payloads
    await user.press(f"cat:{ids[2]}:prescription")
    assert "Classé : Prescription" in user.text
    assert "✅ Prescription (conseillé)" in user.turn[-1].text
    assert (await snapshot_of(user)).draft.documents[2].category == "prescription"


@pytest.mark.parametrize(("typed", "removed"), [
    ("supprimer la dernière photo", 2),
    ("suprimer la dernire photo", 2),  # typos
    ("supprime le dernier document", 2),
    ("enlever la facture", 2),
    ("retire le ticket de paiement", 1),
    ("remove the last photo", 2),
])
async def test_typed_requests_ask_to_remove_the_document_they_name(user, typed, removed):
    ids = await _with_three(user)
    await user.send(typed)
    assert f"doc:erase:{ids[removed]}" in user.payloads, user.text
    assert len((await snapshot_of(user)).draft.documents) == 3


async def test_enlever_la_facture_names_the_last_facture_not_the_last_document(user):
    await play(user, claims.POLOGNE)
    facture = await _sent(user, "a.jpg", "facture", 1)
    await _sent(user, "b.jpg", "preuve_paiement", 2)
    await user.send("enlever la factur")
    assert user.payloads == [f"doc:erase:{facture}", "nav:resume"]


async def test_a_typed_replacement_waits_for_the_next_file(user):
    ids = await _with_three(user)
    await user.send("remplacer la dernière photo")
    assert (await snapshot_of(user)).replacing == ids[2]


async def test_sentences_that_are_no_request_are_answers(user):
    await play(user, claims.POLOGNE[:6])  # the care context question
    await user.send("retirer une dent")
    assert (await snapshot_of(user)).draft.care_context == "retirer une dent"


async def test_a_request_without_documents_says_so(user):
    await play(user, claims.POLOGNE)
    await user.send("supprimer la dernière photo")
    assert "aucun document" in user.text


async def test_a_document_removed_at_a_question_asks_the_question_again(user):
    await play(user, claims.POLOGNE, until="stay.country")
    await user.upload(make_jpeg(600, 800, seed=1), "a.jpg")
    doc_id = (await snapshot_of(user)).draft.documents[-1].id
    await user.press(f"doc:erase:{doc_id}")
    assert "Document retiré" in user.text and "pays" in user.last_text
    assert (await snapshot_of(user)).draft.documents == []


@pytest.mark.parametrize("payload", [
    "doc:erase:", "doc:erase:zzzzzzzz", "doc:evil:{id}", "doc:open:{id}:x", "doc:" + "x" * 500,
    "doc:erase:{id}'; DROP TABLE documents; --", "doc:erase:../{id}",
])
async def test_hostile_document_buttons_change_nothing(user, payload):
    ids = await _with_three(user)
    await user.press(payload.format(id=ids[0]))
    assert "ne correspond plus" in user.text
    assert [doc.id for doc in (await snapshot_of(user)).draft.documents] == ids
    assert await _stored(user) == ids


async def test_the_documents_of_a_finished_claim_stay_as_sent(user):
    ids = await _with_three(user)
    for step in claims.FINISH_WITHOUT_FILES:
        await user.press(step[1])
    assert (await snapshot_of(user)).state == "done"
    await user.press(f"doc:erase:{ids[0]}")
    assert "ne correspond plus" in user.text
    await user.send("supprimer la facture")
    assert "restent tels qu'envoyés" in user.text
    assert await _stored(user) == ids


async def test_a_document_removed_on_the_recap_unticks_the_boxes_and_its_file(user):
    ids = await _with_three(user)
    await user.press("nav:docs_done")
    await user.press("nav:docs_continue")
    await user.press("crt:originals:oui")
    await user.press("crt:accuracy:oui")
    await user.send("supprimer la dernière photo")
    await user.press(f"doc:erase:{ids[2]}")
    recap = user.text
    assert "01_facture" not in recap  # the files are planned again after the turn
    assert "Facture × 1" in recap and "☐ Je certifie" in "\n".join(
        b.label for b in user.buttons)  # a change unticks what was certified (CRT-02)
    await user.press("nav:resume")
    assert "2 reçu(s) → 2 fichier(s)" in user.text and "01_facture" in user.text
