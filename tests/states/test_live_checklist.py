"""Issue 14 (4): step 4 keeps one live checklist, edited as documents change; merges are said.

The engine marks the checklist ``Live``: shown once with the step, then an edit of the
message the adapter reported (``live_message_shown``), kept in the snapshot across restarts.
"""

from __future__ import annotations

from bot.domain.catalog import get_catalog
from bot.domain.categories import category_ids
from bot.domain.io import Live
from bot.service import ConversationService
from tests import claims
from tests.fakes.images import make_jpeg
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play, snapshot_of

PROMPT = "Envoyez vos justificatifs"


async def _sort(user: ScriptedUser, category: str, seed: int, name: str = "scan.jpg") -> None:
    await user.upload(make_jpeg(600, 800, seed=seed), name)
    doc_id = (await snapshot_of(user)).draft.documents[-1].id
    await user.press(f"cat:{doc_id}:{category}")


async def test_the_step_shows_the_checklist_once_then_edits_it(user):
    await play(user, claims.POLOGNE)
    instructions, checklist = user.turn[-2:]
    assert PROMPT in instructions.text and instructions.live is None
    assert checklist.live == Live(None) and "⬜ Facture" in checklist.text
    await user.service.live_message_shown(user.chat_id, "4242")
    await _sort(user, "facture", 1)
    said = "\n".join(reply.text for reply in user.turn)
    assert PROMPT not in said and "Étape 4/5" not in said  # the prompt is not sent again
    assert [reply.live for reply in user.turn] == [None, Live("4242")]
    assert user.turn[0].text == "✔️ Classé : Facture."
    assert "✅ Facture" in user.turn[-1].text
    assert "Documents reçus : 1 · fichiers à déposer : 1." in user.turn[-1].text


async def test_without_a_known_message_the_update_is_a_new_message(user):
    await play(user, claims.POLOGNE)  # the terminal chat never reports a message
    await _sort(user, "facture", 1)
    assert user.turn[-1].live == Live(None)


async def test_the_checklist_message_survives_a_restart(user, repository, clock):
    await play(user, claims.POLOGNE)
    await user.service.live_message_shown(user.chat_id, "777")
    restarted = ScriptedUser(ConversationService(repository, clock=clock), user.chat_id)
    await _sort(restarted, "facture", 1)
    assert restarted.turn[-1].live == Live("777")


async def test_a_new_step_prompt_forgets_the_old_message(user):
    await play(user, claims.POLOGNE)
    await user.service.live_message_shown(user.chat_id, "500")
    await user.send("/aide")  # shows the step again: its checklist is a new message
    assert user.turn[-1].live == Live(None)
    assert (await snapshot_of(user)).checklist_message is None


async def test_merges_are_said_once_with_files_against_documents(user):
    await play(user, claims.POLOGNE)
    await _sort(user, "facture", 1, "facture_clinique-bangkok.jpg")
    assert "réunies" not in user.text
    await _sort(user, "facture", 2)
    assert "🗂 Vos 2 factures sont réunies dans 01_facture_clinique-bangkok.pdf (2 pages)." \
        in user.text
    await _sort(user, "preuve_paiement", 3)
    assert "réunies" not in user.text  # said once: nothing new was merged
    assert "Documents reçus : 3 · fichiers à déposer : 2." in user.turn[-1].text
    await user.press("nav:docs_done")
    await user.press("nav:docs_continue")
    assert "Les documents : 3 reçu(s) → 2 fichier(s) à déposer (10 au plus) :" in user.text
    assert "• 01_facture_clinique-bangkok.pdf : 2 documents réunis, 2 pages" in user.text


async def test_in_english_merges_and_counts_are_english(user):
    await play(user, claims.POLOGNE)
    await user.send("/language")
    await _sort(user, "facture", 1)
    await _sort(user, "facture", 2)
    assert "🗂 Your 2 invoices are combined into 01_facture.pdf (2 pages)." in user.text
    assert "Documents received: 2 · files to upload: 1." in user.turn[-1].text


async def test_a_file_refused_at_step_4_is_one_message_not_the_step_again(user):
    await play(user, claims.POLOGNE)
    await user.upload(b"not an image", "scan.jpg")
    assert len(user.turn) == 1 and PROMPT not in user.text
    assert user.payloads == ["nav:docs_done", "nav:my_documents"]


def test_every_category_has_its_merge_sentence_in_both_languages():
    for language in ("fr", "en"):
        missing = [c for c in category_ids()
                   if not get_catalog(language).has(f"documents_step.merged.{c}")]
        assert missing == [], language
