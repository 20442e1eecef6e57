"""Whole claims replayed through Telegram: the real Application, the real engine, real SQLite.

Only the Bot API is faked (``FakeBotApi``); the user taps buttons, types answers and sends
photos, an album and a PDF the way a phone would.
"""

from __future__ import annotations

from typing import Any

from tests.adapters.claim_script import DOCUMENTS_STEP, POLOGNE
from tests.fakes.images import make_jpeg, make_pdf
from tests.fakes.telegram_user import TelegramUser

SHARP = [(90, 128), (905, 1280), (1810, 2560)]  # what Telegram offers for a 2560 px photo


async def play(user: TelegramUser, action: str, argument: str) -> None:
    """Do one step of a claim script as the user."""
    if action == "send":
        await user.send(argument)
    elif action == "press":
        await user.press(argument)
    elif action == "photo":
        await user.send_photo(make_jpeg(1810, 2560, seed=int(argument)), sizes=SHARP)
    elif action == "album":
        await user.send_album([make_jpeg(1810, 2560, seed=10 + n) for n in range(int(argument))])
    else:
        raise ValueError(action)


async def replay(user: TelegramUser, steps: Any) -> None:
    """Play ``steps`` and check each answer contains what the step expects."""
    for action, argument, expected in steps:
        await play(user, action, argument)
        answer = "\n".join(user.texts)
        assert expected in answer, f"after {action} {argument!r}: {answer[-600:]!r}"


async def test_pologne_claim_on_a_phone_ends_with_the_pdfs(running, service, user_factory):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE)
    documents = user.documents
    assert documents, user.texts
    assert all(data.startswith(b"%PDF") for _, data in documents)
    assert all(name.endswith(".pdf") for name, _ in documents)


async def test_pressed_buttons_stay_visible_and_inactive(running, service, user_factory):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:3])
    regime = user.message("De quel régime")
    assert regime["text"].endswith("➡️ Régime général (CPAM, CGSS), y compris indépendants et "
                                   "étudiants")
    assert "reply_markup" not in regime


async def test_stale_button_gets_a_notice_and_the_current_question(
    running, service, user_factory
):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:3])
        old_question = dict(user.message("nationalité"))
        await user.send("Française")  # typed instead of tapped: the old keyboard stays
        assert "situation" in user.last_text
        await user.press("Autre", message=old_question)
    assert "situation" in user.last_text
    assert user.last_buttons[0][1] == "Salarié / travailleur indépendant"


async def test_typed_answers_and_back_command(running, service, user_factory):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:6])
        await user.send("/retour")
        assert "prénom" in user.last_text
        await user.send("NATHALIE")
        assert "date de naissance" in user.last_text


async def test_documents_as_pdf_compressed_photo_and_too_large_file(
    running, service, user_factory, telegram
):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:DOCUMENTS_STEP])
        await user.send_document(make_pdf(2), "facture.pdf", mime="application/pdf")
        assert "Document reçu (2 page(s)" in "\n".join(user.texts)
        await user.press("Facture")
        await user.send_photo(make_jpeg(905, 1280, seed=3), sizes=[(90, 128), (905, 1280)])
        answer = "\n".join(user.texts)
        assert "Document reçu" in answer and "📎" in answer and "Fichier" in answer
        await user.press("Preuve de paiement")
        downloads = len([c for c in telegram.calls if c.method == "getFile"])
        await user.send_document(b"%PDF-1.4", "scan.pdf", mime="application/pdf",
                                 size=30 * 1024 * 1024)
        assert "20 Mo" in user.last_text
        assert len([c for c in telegram.calls if c.method == "getFile"]) == downloads


async def test_album_is_answered_once(running, service, user_factory):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:DOCUMENTS_STEP])
        await user.send_album([make_jpeg(1810, 2560, seed=n) for n in range(3)])
    received = [text for text in user.texts if "Document reçu" in text]
    assert len(received) == 1 and "3 page(s)" in received[0]


async def test_answers_survive_a_restart(running, service, user_factory, telegram):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:8])
    async with running(service) as app:  # a new Application on the same SQLite file
        user = user_factory(app)
        await user.press("Non")
        assert "frais médicaux" in user.last_text


async def test_an_amount_in_baht_is_converted_and_confirmed_with_a_tap(
    running, service, user_factory
):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:9])
        await user.send("45000 THB le 03/07/2020")
        # 45 000 / 34,918 (ECB reference rate of 03/07/2020) = 1 288,73 €.
        assert "(1 € = 34,918 THB) : 1\u202f288,73 €" in user.last_text
        await user.press("C'est juste")
        assert "liés à" in user.last_text


def _checklists(telegram: Any, chat_id: int) -> list[Any]:
    return [call for call in telegram.sent(chat_id, "sendMessage")
            if "Pièces à joindre" in call.params["text"]]


async def test_step_4_edits_one_live_checklist_even_after_a_restart(
    running, service, user_factory, telegram
):
    """Issue 14 (4): the checklist is sent once, then edited as files are sorted."""
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:DOCUMENTS_STEP])
        assert len(_checklists(telegram, user.chat_id)) == 1
        live = user.message("Pièces à joindre")["message_id"]
        await user.send_photo(make_jpeg(905, 1280, seed=1), sizes=[(90, 128), (905, 1280)])
        await user.press("Facture")
        assert user.texts == ["✔️ Classé : Facture."]  # one line, not the step again
    async with running(service) as app:  # a new Application: the message id was saved
        user = user_factory(app)
        await user.send_document(make_pdf(1), "ticket_carte.pdf", mime="application/pdf")
        await user.press("Preuve de paiement")
    assert len(_checklists(telegram, user.chat_id)) == 1
    edits = telegram.sent(user.chat_id, "editMessageText")
    assert [call.params["message_id"] for call in edits if "Pièces à joindre"
            in call.params["text"]][-2:] == [live, live]
    shown = user.message("Pièces à joindre")
    assert shown["message_id"] == live
    assert "✅ Facture" in shown["text"] and "✅ Preuve de paiement" in shown["text"]
    assert "Documents reçus : 2 · fichiers à déposer : 2." in shown["text"]


async def test_a_document_is_removed_with_buttons_after_a_confirmation(
    running, service, user_factory
):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:DOCUMENTS_STEP])
        await user.send_document(make_pdf(2), "facture_clinique.pdf", mime="application/pdf")
        await user.press("Facture")
        await user.press("Mes documents")
        assert "n°1 · Facture · 2 page(s) · facture_clinique.pdf" in user.last_text
        await user.press("n°1 · Facture")
        await user.press("Retirer")
        assert "Retirer le document n°1" in user.last_text
        await user.press("Oui, retirer")
        assert "Document retiré et effacé" in "\n".join(user.texts)
        await user.send("mes documents")
        assert "aucun document" in user.last_text
    assert await service._repository.documents(str(user.chat_id), 1) == []
