"""Finding 4: one file tied up the bot (200 s of CPU, 3.5 GB; four PNGs 4.0 GB).

Conversions now run in worker processes with a memory limit, a CPU-time limit and a wall
timeout, two at once. With small limits set here, a PDF that takes seconds to draw and a
PNG that needs 500 MB to decode end with a French refusal saying what to send instead; the
documents already given stay, and the next file is converted by a fresh worker. The bot
process itself, run as a process of its own, stays under 600 MB resident while four large
files are converted at once with the production limits.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

from bot.documents.isolation import Isolation, Limits
from bot.service import ConversationService
from bot.service_documents import WARM_MODULES
from tests import claims
from tests.documents.conftest import encode, receipt
from tests.security.hostile import large_png, slow_pdf
from tests.states.helpers import play, snapshot_of

STRICT = Limits(workers=2, memory_bytes=192 * 2**20, cpu_seconds=1, wall_seconds=60)
TOO_SLOW = "Ce fichier demande trop de calcul pour être converti"
TOO_HEAVY = "Ce fichier demande trop de mémoire pour être converti"
BOT_BOUND_BYTES = 600 * 2**20


@pytest.fixture
def conversions():
    pool = Isolation(STRICT, warm=WARM_MODULES)
    yield pool
    pool.close()


@pytest.fixture
def service(repository, clock, conversions):
    return ConversationService(repository, clock=clock, conversions=conversions)


def _photo(seed: int) -> bytes:
    return encode(receipt((1200 + seed, 1600)), "JPEG", quality=85)


async def _documents(user) -> list[str]:
    return [doc.filename for doc in (await snapshot_of(user)).draft.documents]


async def _with_one_document(user) -> None:
    await play(user, claims.POLOGNE)
    await user.upload(_photo(0), "facture.jpg")
    assert "Document reçu" in user.text
    assert await _documents(user) == ["facture.jpg"]


async def test_a_pdf_that_takes_seconds_to_draw_is_stopped_with_a_french_refusal(user):
    await _with_one_document(user)
    await user.upload(slow_pdf(), "releve.pdf")
    assert TOO_SLOW in user.text
    assert "Envoyez une photo de chaque page" in user.text
    assert await _documents(user) == ["facture.jpg"]  # nothing given is lost
    await user.upload(_photo(1), "ordonnance.jpg")  # a fresh worker converts the next one
    assert "Document reçu" in user.text
    assert await _documents(user) == ["facture.jpg", "ordonnance.jpg"]


async def test_a_png_that_needs_too_much_memory_is_refused_in_french(user, conversions):
    await _with_one_document(user)
    await user.upload(large_png(), "scan.png")
    assert TOO_HEAVY in user.text
    assert "Envoyez une photo plus petite" in user.text
    assert await _documents(user) == ["facture.jpg"]
    # The worker never held what the file asked (about 500 MB): its limit stopped it.
    assert conversions.peak_rss_bytes < 400 * 2**20
    await user.upload(_photo(2), "ordonnance.jpg")
    assert await _documents(user) == ["facture.jpg", "ordonnance.jpg"]


async def test_the_album_keeps_its_good_photos_when_one_item_is_too_slow(user):
    await play(user, claims.POLOGNE)
    await user.album([_photo(3), slow_pdf(), _photo(4)])
    assert "Document reçu (2 page(s)" in user.text
    assert TOO_SLOW in user.text  # said of the item left out
    assert len(await _documents(user)) == 1


async def test_the_english_refusal_says_what_to_do(user):
    await play(user, claims.POLOGNE)
    await user.send("/langue")
    await user.upload(slow_pdf(), "statement.pdf")
    assert "This file takes too long to convert. Send a photo of each page" in user.text


# The bot process, on its own: four chats send large files at once (the finding's 4.0 GB).
_BOT = """
import asyncio, json, sys
from pathlib import Path
from bot.service import ConversationService
from bot.service_documents import start_conversions
from bot.documents.isolation import Limits
from bot.storage.stores import open_store
from tests import claims
from tests.conftest import AS_OF_2020, Clock
from tests.fakes.users import ScriptedUser
from tests.security.hostile import large_png, slow_pdf
from tests.states.helpers import play

def resident(field):
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(l for l in status if l.startswith(field)).split()[1]) * 1024

async def main():
    files = [large_png(), slow_pdf(3000), large_png(), slow_pdf(3000)]
    conversions = await start_conversions(Limits(workers=2, cpu_seconds=30))
    repository = await open_store(Path(sys.argv[1]))
    service = ConversationService(repository, clock=Clock(AS_OF_2020), conversions=conversions)
    users = [ScriptedUser(service, f"chat-{n}") for n in range(len(files))]
    for user in users:
        await play(user, claims.POLOGNE)
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM from here on
    before = resident("VmRSS")
    await asyncio.gather(*(u.upload(f, "f") for u, f in zip(users, files, strict=True)))
    said = [u.text for u in users]
    print(json.dumps({"before": before, "peak": resident("VmHWM"), "said": said,
                      "worker_peak": conversions.peak_rss_bytes}))
    conversions.close()
    await repository.close()

asyncio.run(main())
"""


async def test_the_bot_process_stays_under_600_mb_while_four_large_files_convert(tmp_path):
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _BOT, str(tmp_path / "bot.sqlite3"),
        stdout=asyncio.subprocess.PIPE, cwd=Path(__file__).resolve().parents[2])
    try:
        out, _ = await asyncio.wait_for(bot.communicate(), timeout=300)
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    assert bot.returncode == 0
    figures = json.loads(out.decode().splitlines()[-1])
    sys.stderr.write(
        f"\nbot process: {figures['before'] / 2**20:.0f} MB before, peak"
        f" {figures['peak'] / 2**20:.0f} MB during 4 large files; the largest worker peak"
        f" {figures['worker_peak'] / 2**20:.0f} MB\n")
    assert all("Document reçu" in said for said in figures["said"])
    assert figures["peak"] < BOT_BOUND_BYTES
    # The pixels were in the workers: the bot only held the files and the PDFs.
    assert figures["peak"] - figures["before"] < 100 * 2**20
    assert figures["worker_peak"] > 300 * 2**20
