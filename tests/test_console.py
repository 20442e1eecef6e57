"""The terminal chat: numbered choices, typed answers, files by path, the pack written out."""

from __future__ import annotations

import io
import stat
import time

from PIL import Image, ImageDraw

from bot.adapters import console
from bot.adapters.console import parse_line, render, run_console
from bot.domain.io import Attachment, Button, Command, Press, Reply, Text, Upload


def test_parse_line_numbers_commands_paths_and_text(tmp_path):
    buttons = (Button("a:q:x", "X"), Button("a:q:y", "Y"))
    photo = tmp_path / "recu.jpg"
    photo.write_bytes(b"\xff\xd8fake")
    assert parse_line("2", buttons) == Press("a:q:y")
    assert parse_line("3", buttons) == Text("3")  # not a shown choice: an answer
    assert parse_line("/retour", buttons) == Command("back")
    assert parse_line("/aide", ()) == Command("help")
    assert parse_line(str(photo), ()) == Upload(b"\xff\xd8fake", filename="recu.jpg")
    assert parse_line("200,50", buttons) == Text("200,50")
    assert parse_line("   ", buttons) is None
    assert parse_line("/", buttons) == Text("/")
    long_answer = "Consultation chez le dr. martin " * 12 + "suite.pdf"
    assert parse_line(long_answer, buttons) == Text(long_answer)


def _receipt(path):
    image = Image.new("RGB", (1200, 1600), "white")
    draw = ImageDraw.Draw(image)
    for line in range(30):
        draw.text((80, 80 + line * 45), f"Consultation {line} - 12,50 EUR", fill="black")
    image.save(path, quality=90)


def _claim_lines(tmp_path):
    """Return what a user types for a whole claim with two receipts, up to « Valider »."""
    _receipt(tmp_path / "facture.jpg")
    _receipt(tmp_path / "paiement.jpg")
    return ["1", "cpam", "française", "etudiant", "Nathalie", "07/10/1985",
             "Urgence médicale", "non", "200,50", "accident tiers", "12/08/2020", "Pologne",
             "oui", "public", "française", "oui", "tourisme", "22/09/2020", "28/09/2020", "oui",
             "26/09/2020", "27/09/2020",
             str(tmp_path / "facture.jpg"), "facture", str(tmp_path / "paiement.jpg"),
             "ticket de carte", "fini", "1", "1", "2", "3"]  # continue, both boxes, validate


async def test_terminal_chat_completes_a_claim_and_writes_the_pack(service, tmp_path,
                                                                   monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = _claim_lines(tmp_path)
    out = io.StringIO()
    await run_console(service, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    text = out.getvalue()
    assert "Classé : Facture" in text and "Classé : Preuve de paiement" in text
    assert "POLOGNE" in text and "NATHALIE - 07/10/1985" in text
    assert "Votre dossier est prêt" in text
    files = sorted((tmp_path / "out" / "console").iterdir())
    assert [f.name for f in files] == [
        "00_recapitulatif.pdf", "01_facture.pdf", "02_preuve_paiement.pdf"]
    assert all(f.read_bytes().startswith(b"%PDF") for f in files)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)


async def test_erasing_the_data_removes_the_files_written(service, tmp_path, monkeypatch):
    """Issue 14 (4): after /supprimer no PDF of the erased claim stays in out/<chat>/."""
    monkeypatch.chdir(tmp_path)
    lines = [*_claim_lines(tmp_path), "/supprimer", "1"]  # 1: « Oui, tout effacer »
    out = io.StringIO()
    await run_console(service, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    assert "Toutes vos données ont été effacées" in out.getvalue()
    assert not (tmp_path / "out" / "console").exists()


def test_the_output_folder_holds_the_files_last_sent_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "out" / "chat"
    first = (Attachment("00_recapitulatif.pdf", b"%PDF-1"),
             Attachment("02_preuve_paiement.pdf", b"%PDF-1"))
    render(Reply("Claim 1", attachments=first), io.StringIO(), "chat")
    render(Reply("Claim 2", attachments=(Attachment("00_recapitulatif.pdf", b"%PDF-2"),)),
           io.StringIO(), "chat")
    assert [(f.name, f.read_bytes()) for f in folder.iterdir()] == [
        ("00_recapitulatif.pdf", b"%PDF-2")]  # nothing of claim 1 beside claim 2's files
    render(Reply("Only text"), io.StringIO(), "chat")
    assert [f.name for f in folder.iterdir()] == ["00_recapitulatif.pdf"]
    render(Reply("Erased", erased=True), io.StringIO(), "chat")
    assert not folder.exists()


class SlowInput(io.StringIO):
    """Lines typed a while apart: the chat waits at the prompt in between."""

    def __init__(self, lines: list[str], pause: float) -> None:
        super().__init__("".join(f"{line}\n" for line in lines))
        self.pause = pause

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        time.sleep(self.pause)
        return super().readline()


async def test_a_message_posted_for_the_terminal_chat_is_printed_with_its_buttons(
        service, monkeypatch):
    """An agent's reply (or a reminder) reaches the terminal chat while it waits."""
    monkeypatch.setattr(console, "POSTS_POLL_SECONDS", 0.1)
    await service.outbox.post("console", [Reply("👤 Conseillère : bonjour", (
        Button("nav:resume", "Reprendre"),))], kind="agent")
    out = io.StringIO()
    await run_console(service, stdin=SlowInput(["1"], pause=1.0), stdout=out)
    printed = out.getvalue()
    assert printed.count("👤 Conseillère : bonjour") == 1
    assert "1. Reprendre" in printed
    assert await service.outbox.take("console") == []  # delivered, so gone
