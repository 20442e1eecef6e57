"""Finding 6: updates from groups, supergroups and channels never reach a conversation.

Driven through the real Application on the fake Bot API, with a recording engine: a forged
button press in a group (chat -100778 in the red-team run) must be neither handled nor answered.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from telegram import Update

from tests.adapters.test_telegram_adapter import RecordingService

GROUP_CHATS = [
    {"id": -100778, "type": "supergroup", "title": "Voyageurs"},
    {"id": -4242, "type": "group", "title": "Famille"},
    {"id": -100999, "type": "channel", "title": "Annonces"},
]


def _message(chat: dict[str, Any], message_id: int, **content: Any) -> dict[str, Any]:
    sender = {"id": 555, "is_bot": False, "first_name": "Intrus"}
    return {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": sender,
            **content}


def _answered(telegram: Any) -> list[str]:
    """Return the Bot API calls aimed at a chat or a button press (getMe and the menu are not)."""
    return [call.method for call in telegram.calls
            if {"chat_id", "callback_query_id"} & set(call.params)]


async def _deliver(app: Any, update_id: int, body: dict[str, Any]) -> None:
    await app.process_update(Update.de_json({"update_id": update_id, **body}, app.bot))


@pytest.mark.parametrize("chat", GROUP_CHATS, ids=[c["type"] for c in GROUP_CHATS])
async def test_a_forged_button_press_from_a_group_is_ignored_and_logged(
        running, telegram, chat, caplog):
    service = RecordingService()
    keyboard = {"inline_keyboard": [[{"text": "Oui", "callback_data": "a:q:oui"}]]}
    message = _message(chat, 10, text="Êtes-vous d'accord ?", reply_markup=keyboard)
    query = {"id": "91", "from": {"id": 555, "is_bot": False, "first_name": "Intrus"},
             "chat_instance": "ci-group", "data": "a:q:oui", "message": message}
    caplog.set_level(logging.INFO, logger="bot.adapters.telegram")
    async with running(service) as app:
        await _deliver(app, 5001, {"callback_query": query})
    assert service.inputs == []
    assert _answered(telegram) == []
    assert any("update 5001 ignored" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("chat", GROUP_CHATS, ids=[c["type"] for c in GROUP_CHATS])
async def test_messages_commands_and_edits_from_groups_are_ignored(running, telegram, chat):
    service = RecordingService()
    command = {"text": "/start", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}
    kind = "channel_post" if chat["type"] == "channel" else "message"
    edited = "edited_channel_post" if chat["type"] == "channel" else "edited_message"
    async with running(service) as app:
        await _deliver(app, 6001, {kind: _message(chat, 11, **command)})
        await _deliver(app, 6002, {kind: _message(chat, 12, text="Bonjour")})
        await _deliver(app, 6003, {edited: {**_message(chat, 12, text="Bonsoir"),
                                            "edit_date": int(time.time())}})
    assert service.inputs == []
    assert _answered(telegram) == []


async def test_the_same_press_in_a_private_chat_still_counts(running, user_factory):
    service = RecordingService()
    async with running(service) as app:
        user = user_factory(app)
        await user.send("/start")
        await user.press("Oui")
    assert [type(user_input).__name__ for _, user_input, _ in service.inputs] == [
        "Command", "Press"]
