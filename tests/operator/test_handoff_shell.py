"""The front office from a shell: ``queue`` and ``reply``, audited as the shell user."""

from __future__ import annotations

import asyncio
import getpass

import pytest

from bot.operator.__main__ import main
from tests.operator.conftest import IN_PROGRESS, audit_rows
from tests.operator.test_handoff_console import outbox, snapshot, traveller

WHO = f"shell:{getpass.getuser()}"


@pytest.fixture
def shell(console_store, monkeypatch, tmp_path):
    setting = "DATABASE_URL" if isinstance(console_store, str) else "DATABASE_PATH"
    monkeypatch.setenv(setting, str(console_store))
    monkeypatch.chdir(tmp_path)  # away from any developer's .env


def test_queue_lists_the_travellers_waiting(shell, console_store, capsys):
    main(["queue"])
    assert "Personne n'attend de conseiller." in capsys.readouterr().out
    asyncio.run(traveller(console_store, IN_PROGRESS, "/conseiller"))
    main(["queue"])
    listed = capsys.readouterr().out
    assert "SE-000002-1  à traiter  —  demandé le" in listed and "(0 min)" in listed
    assert [r[:2] for r in asyncio.run(audit_rows(console_store))] == [(WHO, "queue")] * 2


def test_reply_sends_as_the_shell_user_and_is_audited(shell, console_store, capsys):
    asyncio.run(traveller(console_store, IN_PROGRESS, "/conseiller"))
    main(["reply", "SE-000002-1", "Bonjour, je regarde votre dossier."])
    assert "Réponse envoyée à SE-000002-1" in capsys.readouterr().out
    sent = asyncio.run(outbox(console_store))
    assert [reply.text for reply in sent] == [
        "👤 Conseiller·ère Assurance Maladie : Bonjour, je regarde votre dossier."]
    assert asyncio.run(snapshot(console_store)).handoff.agent == WHO
    assert [r[:3] for r in asyncio.run(audit_rows(console_store))] == [
        (WHO, "reply", "SE-000002-1")]


def test_reply_to_a_conversation_nobody_asked_about_steps_in(shell, console_store):
    main(["reply", "SE-2", "Bonjour, une question sur votre séjour."])
    stepped = asyncio.run(snapshot(console_store))
    assert stepped.state == "handoff" and stepped.handoff.agent == WHO
    assert [r[:3] for r in asyncio.run(audit_rows(console_store))] == [
        (WHO, "take", "SE-000002-1"), (WHO, "reply", "SE-000002-1")]


def test_reply_refuses_in_french(shell):
    with pytest.raises(SystemExit, match="Aucune conversation SE-000099-1"):
        main(["reply", "SE-000099-1", "Bonjour"])
    with pytest.raises(SystemExit, match="Écrivez un message"):
        main(["reply", "SE-000002-1", "   "])
