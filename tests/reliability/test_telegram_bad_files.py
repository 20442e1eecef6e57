"""Malformed files sent through Telegram: a clear French message, nothing lost, bot still works.

The corpus is made on the fly (no binary fixtures): empty, truncated, corrupt, encrypted,
a decompression bomb, a 1×1 image, an animated GIF, Word and ZIP files, and a file Telegram
announces over 20 MB. Each is sent at « Document(s) », after a first invoice was accepted.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter

from bot.storage.repository import ClaimRepository
from tests.adapters.claim_script import DOCUMENTS_STEP, POLOGNE
from tests.adapters.test_telegram_conversation import replay
from tests.fakes.bot_api import FakeBotApi, FakeTelegram
from tests.fakes.images import make_jpeg, make_pdf
from tests.reliability.conftest import RunningBot, bot_on, state_of

SMALL_PAGE = [(90, 128), (905, 1280)]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def bomb_png(side: int = 20_000) -> bytes:
    """Write a ``side``×``side`` 1-bit black PNG: 400 Mpx that compress to a few dozen kB."""
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte, then the packed pixels
    packer = zlib.compressobj(9)
    # Compressed row by row: the 50 MB of raw pixels are never held in memory at once.
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat)
            + _png_chunk(b"IEND", b""))


def one_pixel_png() -> bytes:
    """Write a 1×1 white PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(buffer, "PNG")
    return buffer.getvalue()


def animated_gif() -> bytes:
    """Write a 3-frame animated GIF of invoice-like pages."""
    frames = [Image.open(io.BytesIO(make_jpeg(900, 1270, seed=s))).convert("P")
              for s in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    """Write a one-page PDF that needs a password to open."""
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(1)))
    writer.encrypt(user_password="secret", algorithm="RC4-128")  # noqa: S106
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zipped(names: dict[str, bytes]) -> bytes:
    """Write a ZIP archive (a .docx is one too) holding ``names``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def corpus() -> list[tuple[str, bytes, str, str, int | None]]:
    """Return (file name, bytes, MIME type, expected part of the answer, announced size)."""
    jpeg = make_jpeg(905, 1280, seed=7)
    pdf = make_pdf(1, seed=8)
    docx = zipped({"[Content_Types].xml": b"<Types/>",
                   "word/document.xml": b"<w:document>Facture</w:document>"})
    return [
        ("vide.pdf", b"", "application/pdf", "fichier est vide", None),
        ("tronquee.jpg", jpeg[: len(jpeg) // 3], "image/jpeg", "illisible ou incomplet", None),
        ("abime.pdf", pdf[:300] + b"\x00garbage" * 64, "application/pdf",
         "illisible ou incomplet", None),
        ("protege.pdf", encrypted_pdf(), "application/pdf", "protégé par un mot de passe", None),
        ("bombe.png", bomb_png(), "image/png", "trop grande", None),
        ("pixel.png", one_pixel_png(), "image/png", "trop petite pour être lue", None),
        ("facture.docx", docx,
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "enregistrez-le d'abord en PDF", None),
        ("factures.zip", zipped({"facture.jpg": jpeg}), "application/zip",
         "archive ZIP", None),
        ("scan-geant.pdf", b"%PDF-1.4", "application/pdf", "plus de 20 Mo", 25 * 1024 * 1024),
    ]


@pytest.fixture
def bot(telegram: FakeTelegram, repository: ClaimRepository) -> RunningBot:
    """Return ``bot()``: a running application on the fake API, as a user of chat 777."""
    return bot_on(repository, FakeBotApi(telegram), telegram)


async def _stored(repository: ClaimRepository) -> int:
    rows = await repository.database.fetch("SELECT COUNT(*) FROM documents WHERE chat_id = '777'")
    return int(str(rows[0][0]))


async def test_each_bad_file_is_explained_and_nothing_is_lost(bot, repository, telegram):
    async with bot() as user:
        await replay(user, POLOGNE[:DOCUMENTS_STEP])
        await user.send_photo(make_jpeg(905, 1280, seed=1), sizes=SMALL_PAGE)
        await user.press("Facture")
        before = await state_of(repository)
        assert len(before.draft.documents) == 1 and await _stored(repository) == 1

        for name, data, mime, expected, size in corpus():
            await user.send_document(data, name, mime=mime, size=size)
            answer = "\n".join(user.texts)
            assert expected in answer, f"{name}: {answer!r}"
            assert "incident technique" not in answer, name
            assert await state_of(repository) == before, name
            assert await _stored(repository) == 1, name

        # An animated GIF is taken, first frame only, and said so.
        await user.send_document(animated_gif(), "anime.gif", mime="image/gif")
        answer = "\n".join(user.texts)
        assert "Document reçu" in answer and "seule la première image" in answer
        await user.press("Preuve de paiement")
        assert len((await state_of(repository)).draft.documents) == 2

        # And the claim goes on to the end.
        finish = POLOGNE[POLOGNE.index(("press", "J'ai tout envoyé", "Il manque encore")):]
        await replay(user, finish)
    assert (await state_of(repository)).status == "ready"
    assert user.documents and all(data.startswith(b"%PDF") for _, data in user.documents)


async def test_a_truncated_photo_is_explained_and_the_question_stays(bot, repository):
    async with bot() as user:
        await replay(user, POLOGNE[:DOCUMENTS_STEP])
        before = await state_of(repository)
        photo = make_jpeg(905, 1280, seed=2)
        await user.send_photo(photo[: len(photo) // 4], sizes=SMALL_PAGE)
        assert "illisible ou incomplet" in "\n".join(user.texts)
        assert await state_of(repository) == before
        await user.send_photo(photo, sizes=SMALL_PAGE)
        assert "Document reçu" in "\n".join(user.texts)
    assert len((await state_of(repository)).draft.documents) == 1


async def test_a_bad_file_before_the_documents_step_keeps_the_answers(bot, repository):
    async with bot() as user:
        await replay(user, POLOGNE[:7])
        before = await state_of(repository)
        await user.send_document(b"", "vide.pdf", mime="application/pdf")
        await user.send_document(bomb_png(), "bombe.png", mime="image/png")
        assert "trop grande" in "\n".join(user.texts)
        assert await state_of(repository) == before
        await user.send("Urgence médicale")
        assert "prévus avant le départ" in user.last_text
    assert await _stored(repository) == 0
