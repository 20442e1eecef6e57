"""The Telegram adapter's translation, driven through the real Application with a stand-in engine.

The stand-in records what the adapter hands over, so these tests pin the translation
(update → input, reply → messages); test_telegram_conversation replays whole claims.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.domain.io import (
    Album,
    Attachment,
    Button,
    Command,
    Live,
    Press,
    Reply,
    Text,
    Upload,
    UserInput,
)
from bot.domain.sender import Channel, Sender
from bot.outbox import Outbox
from tests.fakes.images import make_jpeg

YES_NO = (Button("a:q:oui", "Oui"), Button("a:q:non", "Non"))


class RecordingService:
    """A stand-in engine: records inputs and asks the same yes/no question each turn."""

    def __init__(self, reply: Reply | None = None, albums: Any = None) -> None:
        self.inputs: list[tuple[str, UserInput, str | None]] = []
        self.reply = reply or Reply("Êtes-vous d'accord ?", YES_NO)
        self.gate: asyncio.Event | None = None
        self.fail = False
        self.language_of: dict[str, str] = {}
        self.languages: list[str | None] = []
        self.senders: list[Sender | None] = []
        self.albums = albums  # a real store (else the ``running`` fixture gives one)

    @property
    def outbox(self) -> Outbox:
        """The real outbox of the store (what this engine says is not in it: no event)."""
        return Outbox(self.albums)

    async def handle(self, chat_id: str, user_input: UserInput, *,
                     event_id: str | None = None, language: str | None = None,
                     sender: Sender | None = None) -> list[Reply]:
        self.inputs.append((chat_id, user_input, event_id))
        self.languages.append(language)
        self.senders.append(sender)
        if self.fail:
            raise RuntimeError(f"boom on {user_input!r}")
        if self.gate is not None and chat_id == "1":
            await self.gate.wait()
        return [self.reply]

    async def language(self, chat_id: str) -> str:
        return self.language_of.get(chat_id, "fr")

    @property
    def received(self) -> list[UserInput]:
        return [user_input for _, user_input, _ in self.inputs]


async def test_start_reaches_engine_as_command_and_shows_buttons(running, user_factory, telegram):
    service = RecordingService()
    async with running(service) as app:
        user = user_factory(app)
        await user.send("/start")
    chat_id, user_input, event = service.inputs[0]
    assert (chat_id, user_input) == ("777", Command("start"))
    assert event is not None and event.startswith("tg:")
    assert user.last_text == "Êtes-vous d'accord ?"
    assert user.last_buttons == [("a:q:oui", "Oui"), ("a:q:non", "Non")]
    menus = {c.params.get("language_code"): [m["command"] for m in c.params["commands"]]
             for c in telegram.calls if c.method == "setMyCommands"}
    assert menus[None] == menus["fr"] == ["start", "aide", "retour", "annuler", "recap",
                                          "mes_documents", "supprimer", "mes_demandes",
                                          "langue", "conseiller", "rappels"]
    assert menus["en"] == ["start", "help", "back", "cancel", "summary", "my_documents",
                           "delete", "my_claims", "language", "adviser", "reminders"]


@pytest.mark.parametrize(
    ("typed", "name"),
    [("/aide", "help"), ("/help", "help"), ("/retour", "back"), ("/back", "back"),
     ("/annuler", "cancel"), ("/cancel", "cancel"), ("/recap", "summary"),
     ("/summary", "summary"), ("/supprimer", "delete"), ("/delete", "delete"),
     ("/Retour", "back"), ("/start@soins_etranger_test_bot", "start"), ("/inconnue", "help")],
)
async def test_commands_in_french_or_english(running, user_factory, typed, name):
    service = RecordingService()
    async with running(service) as app:
        await user_factory(app).send(typed)
    assert service.received == [Command(name)]


async def test_typed_answer_is_text_and_each_update_has_its_own_event(running, user_factory):
    service = RecordingService()
    async with running(service) as app:
        user = user_factory(app)
        await user.send("nathalie")
        await user.send("07/10/1985")
    assert [i.text for i in service.received] == ["nathalie", "07/10/1985"]
    assert all(isinstance(i, Text) and i.ref for i in service.received)  # each names its message
    assert len({event for _, _, event in service.inputs}) == 2


async def test_press_keeps_the_choice_visible_and_removes_the_keyboard(
    running, user_factory, telegram
):
    service = RecordingService()
    async with running(service) as app:
        user = user_factory(app)
        await user.send("/start")
        question = user.last_keyboard_message
        await user.press("Non")
    assert service.received[-1] == Press("a:q:non")
    assert question is not None
    pressed = user.message("Êtes-vous d'accord ?\n\n➡️ Non")
    assert pressed["message_id"] == question["message_id"]
    assert "reply_markup" not in pressed
    assert [c.method for c in telegram.calls].count("answerCallbackQuery") == 1
    assert user.last_buttons == [("a:q:oui", "Oui"), ("a:q:non", "Non")]  # the next question


async def test_each_message_says_its_channel_and_the_senders_username(running, user_factory,
                                                                       caplog):
    """The console shows the channel and finds a caller by username (issue 17)."""
    caplog.set_level(logging.DEBUG)
    service = RecordingService()
    async with running(service) as app:
        user = user_factory(app)
        user.user["username"] = "Nathalie_K"
        await user.send("/start")
        await user.send("nathalie")
        await user.press("Non")
        await user.send_document(b"%PDF-1.4 tiny", "scan.pdf")
        user.user["username"] = "not a username"  # hostile input: never stored as one
        await user.send("07/10/1985")
        del user.user["username"]
        await user.send("fin")
    named = Sender(Channel.TELEGRAM, "Nathalie_K")
    assert service.senders == [named] * 4 + [Sender(Channel.TELEGRAM, None)] * 2
    assert "Nathalie_K" not in caplog.text  # personal data: never logged


async def test_photo_takes_the_largest_size(running, user_factory):
    service = RecordingService()
    big = make_jpeg(1810, 2560)
    async with running(service) as app:
        await user_factory(app).send_photo(big, sizes=[(90, 128), (1810, 2560), (905, 1280)])
    (upload,) = service.received
    assert isinstance(upload, Upload)
    assert (upload.data, upload.mime, upload.notices) == (big, "image/jpeg", ())


async def test_compressed_photo_is_kept_with_a_notice_about_files(running, user_factory):
    service = RecordingService()
    async with running(service) as app:
        await user_factory(app).send_photo(make_jpeg(905, 1280), sizes=[(90, 128), (905, 1280)])
    (upload,) = service.received
    assert isinstance(upload, Upload) and upload.data
    (notice,) = upload.notices
    assert "📎" in notice and "Fichier" in notice


async def test_document_reaches_engine_with_name_and_type(running, user_factory):
    service = RecordingService()
    async with running(service) as app:
        await user_factory(app).send_document(b"%PDF-1.4 facture", "facture.pdf",
                                              mime="application/pdf")
    assert service.received == [Upload(b"%PDF-1.4 facture", "facture.pdf", "application/pdf")]


async def test_file_over_20_mb_is_refused_without_download(running, user_factory, telegram):
    service = RecordingService()
    async with running(service) as app:
        user = user_factory(app)
        await user.send_document(b"x", "scan.pdf", mime="application/pdf",
                                 size=25 * 1024 * 1024)
    assert service.received == []
    assert not [c for c in telegram.calls if c.method == "getFile"]
    assert "25 Mo" in user.last_text and "20 Mo" in user.last_text


async def test_album_is_one_input_in_order_and_gets_one_answer(running, user_factory):
    service = RecordingService(Reply("3 pages reçues."))
    pages = [make_jpeg(1810, 2560, seed) for seed in range(3)]
    async with running(service) as app:
        user = user_factory(app)
        await user.send_album(list(pages))
    (album,) = service.received
    assert isinstance(album, Album)
    assert [item.data for item in album.items] == pages
    assert len({item.group_id for item in album.items}) == 1
    assert user.texts == ["3 pages reçues."]


async def test_message_after_an_album_waits_for_the_album(running, user_factory, settings):
    settings.album_delay_seconds = 5  # a text must flush the album long before this
    service = RecordingService()
    async with running(service) as app:
        user = user_factory(app)
        for seed in range(2):
            await user._push({"message": user._photo_message(make_jpeg(seed=seed), None, "g1")})
        await user.send("c'est tout")
    assert [type(i) for i in service.received] == [Album, Text]


async def test_chats_run_concurrently_but_each_in_order(running, user_factory):
    service = RecordingService()
    service.gate = asyncio.Event()
    async with running(service) as app:
        slow, other = user_factory(app, chat_id=1), user_factory(app, chat_id=2)
        first = asyncio.create_task(slow.send("un"))
        second = asyncio.create_task(slow.send("deux"))
        await asyncio.sleep(0.05)
        await asyncio.wait_for(other.send("ailleurs"), 2)  # not blocked by chat 1
        seen = [(chat, user_input) for chat, user_input, _ in service.inputs]
        assert [(c, i.text) for c, i in seen] == [("1", "un"), ("2", "ailleurs")]
        service.gate.set()
        await asyncio.wait_for(asyncio.gather(first, second), 2)
    assert [i.text for c, i, _ in service.inputs if c == "1"] == ["un", "deux"]


async def test_failure_apologises_and_logs_no_personal_data(running, user_factory, caplog):
    service = RecordingService()
    service.fail = True
    with caplog.at_level(logging.INFO):
        async with running(service) as app:
            user = user_factory(app)
            await user.send("Nathalie Secret")
    assert "Désolé" in user.last_text
    assert "RuntimeError" in caplog.text
    assert "Nathalie" not in caplog.text and "Secret" not in caplog.text


async def test_long_reply_is_split_and_files_follow(running, user_factory):
    pdf = Attachment("recapitulatif.pdf", b"%PDF-1.7 ...")
    long_text = "\n".join(f"Ligne {n} du récapitulatif" for n in range(400))
    service = RecordingService(Reply(long_text, YES_NO, (pdf,)))
    async with running(service) as app:
        user = user_factory(app)
        await user.send("/recap")
    assert len(user.texts) > 1 and all(len(t) <= 4096 for t in user.texts)
    assert "\n".join(user.texts) == long_text
    assert user.documents == [("recapitulatif.pdf", b"%PDF-1.7 ...")]
    assert user.last_buttons == [("a:q:oui", "Oui"), ("a:q:non", "Non")]


async def test_sticker_gets_a_hint_and_never_reaches_engine(running, user_factory):
    service = RecordingService()
    async with running(service) as app:
        user = user_factory(app)
        await user._push({"message": user._message(sticker={
            "file_id": "s1", "file_unique_id": "us1", "width": 512, "height": 512,
            "is_animated": False, "is_video": False, "type": "regular"})})
    assert service.received == []
    assert "/aide" in user.last_text


async def test_adapter_texts_follow_the_conversation_language(running, user_factory):
    service = RecordingService()
    service.language_of["777"] = "en"
    async with running(service) as app:
        user = user_factory(app)
        await user._push({"message": user._message(sticker={
            "file_id": "s1", "file_unique_id": "us1", "width": 512, "height": 512,
            "is_animated": False, "is_video": False, "type": "regular"})})
        assert "/help" in user.last_text
        await user.send_document(b"%PDF-1.4", "scan.pdf", size=25 * 1024 * 1024)
    assert "20 MB" in user.last_text


async def test_album_with_a_file_over_20_mb_keeps_the_rest(running, user_factory):
    service = RecordingService(Reply("Reçu."))
    page = make_jpeg(1810, 2560)
    async with running(service) as app:
        user = user_factory(app)
        group = "g-big"
        await user._push({"message": user._photo_message(page, None, group)})
        big = user._document_message(b"x", "scan.pdf", "application/pdf", 21 * 1024 * 1024,
                                     group)
        await user._push({"message": big})
        user._mark = 0
        await user.wait_for_reply()
    (album,) = service.received
    assert isinstance(album, Album) and [item.data for item in album.items] == [page]
    assert any("20 Mo" in text for text in user.texts)


async def test_upload_shows_upload_document_action(running, user_factory, telegram):
    service = RecordingService()
    async with running(service) as app:
        await user_factory(app).send_document(b"%PDF-1.4", "f.pdf", mime="application/pdf")
    actions = [c.params["action"] for c in telegram.calls if c.method == "sendChatAction"]
    assert actions and set(actions) == {"upload_document"}


def test_a_copy_button_becomes_telegrams_copy_text_button():
    """Issue 14 (5): « Recopier dans ameli » copies a value, it sends nothing back."""
    from bot.adapters.telegram_render import keyboard
    from bot.domain.io import Button

    markup = keyboard(Reply("Étape 1", (Button("", "Nationalité · Française", copy="Française"),
                                        Button("nav:back", "⬅️ Retour"))))
    assert markup is not None
    data = markup.to_dict()["inline_keyboard"]
    assert data[0][0] == {"text": "Nationalité · Française", "copy_text": {"text": "Française"}}
    assert data[1][0]["callback_data"] == "nav:back"


class LiveService(RecordingService):
    """A stand-in engine whose reply is a live message: the text it is told to show next."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.text = "Checklist 1"

    async def handle(self, chat_id: str, user_input: UserInput, *,
                     event_id: str | None = None, language: str | None = None,
                     sender: Sender | None = None) -> list[Reply]:
        await super().handle(chat_id, user_input, event_id=event_id, language=language,
                             sender=sender)
        live = Live(self.shown[-1] if self.shown else None)
        return [Reply(self.text, (Button("nav:docs_done", "Fini"),), live=live)]

    async def live_message_shown(self, chat_id: str, ref: str) -> None:
        self.shown.append(ref)


async def test_a_live_reply_edits_the_message_that_shows_it(running, user_factory, telegram):
    """Issue 14 (4): one live checklist, edited in place (editMessageText)."""
    service = LiveService()
    async with running(service) as app:
        user = user_factory(app)
        await user.send("un")
        shown = user.message("Checklist 1")["message_id"]
        assert service.shown == [str(shown)]  # the engine is told which message shows it
        service.text = "Checklist 2"
        await user.send("deux")
    assert len(telegram.sent(user.chat_id, "sendMessage")) == 1  # no second message
    edit = telegram.sent(user.chat_id, "editMessageText")[-1]
    assert edit.params["message_id"] == shown and edit.params["text"] == "Checklist 2"
    assert user.message("Checklist 2")["message_id"] == shown
    assert user.last_buttons == [("nav:docs_done", "Fini")]  # the edit keeps the buttons


async def test_a_live_message_that_cannot_be_edited_is_sent_anew(running, user_factory,
                                                                 telegram):
    service = LiveService()
    async with running(service) as app:
        user = user_factory(app)
        await user.send("un")
        del telegram.messages[(user.chat_id, int(service.shown[0]))]  # deleted by the user
        service.text = "Checklist 2"
        await user.send("deux")
    assert [c.params["text"] for c in telegram.sent(user.chat_id, "sendMessage")] == [
        "Checklist 1", "Checklist 2"]
    assert len(service.shown) == 2 and service.shown[0] != service.shown[1]  # the new one kept


async def test_an_unchanged_live_message_is_left_as_it_is(running, user_factory, telegram):
    service = LiveService()
    async with running(service) as app:
        user = user_factory(app)
        await user.send("un")
        await user.send("encore")  # the same checklist: Telegram says « not modified »
    assert len(telegram.sent(user.chat_id, "sendMessage")) == 1
    assert service.shown == service.shown[:1]
