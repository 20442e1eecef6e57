"""Finding 9: a sign-in flood stalled the bot (argon2 ran on the event loop it shares).

Measured as event-loop lag: a ticker sleeps 5 ms over and over and records how late it
wakes, idle and then during 50 sign-ins at once from 50 addresses. Passwords are checked in
a bounded thread pool, so the flood may add at most 50 ms to the worst wake-up (the issue's
bound for a bot reply). The same flood with argon2 on the loop is measured as the reference.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

from bot.operator import accounts as operator_accounts
from tests.operator.conftest import sign_in
from tests.security.console import client_at

FLOOD = 50
_TICK = 0.005


async def _lags(work: Callable[[], Awaitable[object]]) -> list[float]:
    """Return how late each 5 ms sleep woke while ``work`` ran, sorted."""
    loop = asyncio.get_running_loop()
    lags: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        while not done.is_set():
            start = loop.time()
            await asyncio.sleep(_TICK)
            lags.append(loop.time() - start - _TICK)

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0.05)
    lags.clear()  # leave out the ticker's start
    try:
        await work()
    finally:
        done.set()
        await ticker
    return sorted(lags)


def _p95(lags: list[float]) -> float:
    return lags[int(len(lags) * 0.95)]


async def _flood(app, network: str = "198.51.100") -> list[int]:
    clients = [client_at(app, f"{network}.{number}") for number in range(FLOOD)]
    pages = [await client.get("/operator/connexion") for client in clients]  # before timing
    del pages
    answers = await asyncio.gather(*(sign_in(client, "alice", f"guess {number}")
                                     for number, client in enumerate(clients)))
    for client in clients:
        await client.aclose()
    return [answer.status_code for answer in answers]


async def test_a_flood_of_sign_ins_does_not_stall_the_event_loop(
        start_console, operator_settings, monkeypatch):
    settings = operator_settings.model_copy(update={"signin_budget_per_minute": 10_000})
    app = start_console(settings)
    await _flood(app)  # warm up: stores open, templates compiled, argon2 loaded
    statuses: list[int] = []

    async def flood() -> None:
        statuses.extend(await _flood(app))

    idle = await _lags(lambda: asyncio.sleep(1.0))
    flooded = await _lags(flood)
    checked = statuses.count(401)
    assert checked >= 18 and set(statuses) <= {401, 503}  # every one answered, none let in

    # The reference: the same flood with argon2 on the event loop, as before the fix.
    async def on_the_loop(accounts, login, password):
        return operator_accounts.verify(accounts, login, password)

    reference_app = start_console(settings)
    monkeypatch.setattr(reference_app.state.console.passwords, "verify", on_the_loop)
    blocking = await _lags(lambda: _flood(reference_app, "203.0.113"))
    rows = [("idle", idle), (f"flood of {FLOOD} ({checked} checked)", flooded),
            ("reference: argon2 on the loop", blocking)]
    sys.stderr.write("\nevent-loop lag (ms)          p50     p95     max\n" + "".join(
        f"{name:<34}{lags[len(lags) // 2] * 1000:>7.1f} {_p95(lags) * 1000:>7.1f}"
        f" {lags[-1] * 1000:>7.1f}\n" for name, lags in rows)
        + f"p95 flood/idle {_p95(flooded) / max(_p95(idle), 1e-4):.1f}x,"
          f" on-loop/off-loop {_p95(blocking) / max(_p95(flooded), 1e-4):.1f}x\n")
    # p95, not max: the machine is shared, and one stall of the scheduler is not the bot's.
    assert _p95(flooded) - _p95(idle) < 0.050
