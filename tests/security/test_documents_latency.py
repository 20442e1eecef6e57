"""Finding 4, last part: with four large PNGs converting, other users waited 3.6 s.

Measured as the time of other chats' turns (the engine on SQLite, the whole claim POLOGNE, 24
turns a chat), first quiet, then while two hostile chats send again and again a PDF that takes
PDFium seconds of CPU to draw (each stopped at the 1 s CPU limit, its worker replaced), in
alternating phases of one chat each so a change in the machine's load falls on both sides:
4 × 24 = 96 turns a side. The hostile work runs in the worker processes, at a lower priority:
the event loop stays free, so it may add at most 50 ms to the median and the p95 of a turn.
The same hostile chats with the conversions in a thread, as before, are the reference.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from bot.documents.isolation import Isolation, Limits
from bot.service import ConversationService
from bot.service_documents import WARM_MODULES
from bot.storage.stores import open_store
from tests import claims
from tests.conftest import AS_OF_2020, Clock
from tests.fakes.users import ScriptedUser
from tests.security.hostile import slow_pdf
from tests.states.helpers import play

PHASES = 4  # per side: quiet, hostile, quiet, hostile…
BOUND_SECONDS = 0.050


class InThread:
    """Conversions as they were: in a thread of the bot's process, without limits."""

    async def call(self, work, *args):
        return await asyncio.to_thread(work, *args)


async def _timed_claim(user: ScriptedUser) -> list[float]:
    """Play the whole claim POLOGNE as ``user``; return the time of each turn."""
    times = []
    for action, value in [("text", "/start"), *claims.POLOGNE]:
        start = time.perf_counter()
        await (user.press(value) if action == "press" else user.send(value))
        times.append(time.perf_counter() - start)
    return times


class Hostile:
    """Chats that send the slow PDF over and over, between ``resume`` and ``pause``."""

    def __init__(self, service: ConversationService, chats: int = 2) -> None:
        self.users = [ScriptedUser(service, f"hostile-{n}-{id(self)}") for n in range(chats)]
        self.refused = 0
        self._sending = asyncio.Event()
        self._idle = asyncio.Condition()
        self._busy = 0
        self._stop = False
        self._tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> Hostile:
        for user in self.users:
            await play(user, claims.POLOGNE)
        self._tasks = [asyncio.create_task(self._send(user)) for user in self.users]
        return self

    async def __aexit__(self, *_: object) -> None:
        self._stop = True
        self._sending.set()
        await asyncio.gather(*self._tasks)

    async def _send(self, user: ScriptedUser) -> None:
        while True:
            await self._sending.wait()
            if self._stop:
                return
            self._busy += 1
            await user.upload(slow_pdf(), "releve.pdf")
            self.refused += "trop de calcul" in user.text
            async with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    async def resume(self) -> None:
        """Start sending; return once every hostile chat has a file in conversion."""
        self._sending.set()
        while self._busy < len(self.users):
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)  # their turns are past loading: the files are in the workers

    async def pause(self) -> None:
        """Stop sending; return once the files in conversion have ended."""
        self._sending.clear()
        async with self._idle:
            await self._idle.wait_for(lambda: self._busy == 0)


async def _sides(service: ConversationService, hostile: Hostile,
                 phases: int) -> tuple[list[float], list[float]]:
    """Return the turn times of quiet and of hostile phases, alternated."""
    quiet: list[float] = []
    attacked: list[float] = []
    for phase in range(2 * phases):
        user = ScriptedUser(service, f"other-{id(hostile)}-{phase}")
        if phase % 2:
            await hostile.resume()
            attacked += await _timed_claim(user)
            await hostile.pause()
        else:
            quiet += await _timed_claim(user)
    return quiet, attacked


def _p95(times: list[float]) -> float:
    return sorted(times)[int(len(times) * 0.95)]


def _row(name: str, times: list[float]) -> str:
    return (f"{name:<30}{statistics.median(times) * 1000:>8.1f}{_p95(times) * 1000:>8.1f}"
            f"{max(times) * 1000:>8.1f}  ({len(times)} turns)\n")


async def test_one_users_hostile_files_do_not_delay_the_others(tmp_path):
    repository = await open_store(tmp_path / "bot.sqlite3")
    conversions = Isolation(Limits(workers=2, cpu_seconds=1), warm=WARM_MODULES)
    conversions.start()
    try:
        service = ConversationService(repository, clock=Clock(AS_OF_2020),
                                      conversions=conversions)
        await _timed_claim(ScriptedUser(service, "warm-up"))
        async with Hostile(service) as attack:
            quiet, hostile = await _sides(service, attack, PHASES)
        # The reference: one phase each way with the conversions in a thread, as before.
        reference_service = ConversationService(repository, clock=Clock(AS_OF_2020),
                                                conversions=InThread())  # type: ignore[arg-type]
        async with Hostile(reference_service) as reference:
            ref_quiet, ref_hostile = await _sides(reference_service, reference, 1)
    finally:
        conversions.close()
        await repository.close()
    sys.stderr.write(
        "\nturn time (ms)                  median     p95     max\n"
        + _row("quiet", quiet) + _row(f"hostile ({attack.refused} files refused)", hostile)
        + _row("reference quiet (in thread)", ref_quiet)
        + _row("reference hostile (in thread)", ref_hostile)
        + f"hostile/quiet: median {statistics.median(hostile) / statistics.median(quiet):.2f}x,"
          f" p95 {_p95(hostile) / _p95(quiet):.2f}x; in a thread: p95"
          f" {_p95(ref_hostile) / _p95(ref_quiet):.2f}x\n")
    assert attack.refused >= 2 * PHASES  # the hostile chats kept the workers busy
    assert statistics.median(hostile) - statistics.median(quiet) <= BOUND_SECONDS
    assert _p95(hostile) - _p95(quiet) <= BOUND_SECONDS
