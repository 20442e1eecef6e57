"""Finding 8: five wrong passwords from a spoofed address locked the owner out everywhere.

Limits now slow a (login, address) pair, an address, and all strangers together (a global
budget that a pair which signed in before is exempt from); their state is in the database,
so a restart does not reset them.
"""

from __future__ import annotations

from tests.operator.conftest import sign_in
from tests.security.console import client_at

OWNER, ATTACKER = "192.0.2.10", "198.51.100.66"


async def test_wrong_passwords_elsewhere_never_lock_the_owner_out(app):
    async with client_at(app, ATTACKER) as attacker:
        answers = [(await sign_in(attacker, "alice", "guess")).status_code for _ in range(20)]
    assert 429 in answers  # the attacker is slowed…
    async with client_at(app, OWNER) as owner:
        assert (await sign_in(owner, "alice")).status_code == 303  # …the owner is not


async def test_attempts_from_many_addresses_spend_a_global_budget(
        start_console, operator_settings, limiter_clock):
    app = start_console(operator_settings.model_copy(update={"signin_budget_per_minute": 10}))
    async with client_at(app, OWNER) as owner:  # the owner signed in from here before
        assert (await sign_in(owner, "alice")).status_code == 303
    answers = []
    for number in range(15):
        async with client_at(app, f"198.51.100.{number}") as attacker:
            answers.append((await sign_in(attacker, "alice", "guess")).status_code)
    assert answers.count(401) == 9  # the owner's sign-in spent one of the ten
    assert set(answers[9:]) == {429}
    async with client_at(app, "203.0.113.77") as stranger:
        assert (await sign_in(stranger, "victor")).status_code == 429
    async with client_at(app, OWNER) as owner:
        assert (await sign_in(owner, "alice")).status_code == 303  # a known pair still gets in
    limiter_clock.now += 60
    async with client_at(app, "203.0.113.77") as stranger:
        assert (await sign_in(stranger, "victor")).status_code == 303


async def test_the_delay_holds_across_a_restart(start_console, limiter_clock):
    first = start_console()
    async with client_at(first, ATTACKER) as attacker:
        for _ in range(3):
            assert (await sign_in(attacker, "alice", "guess")).status_code == 401
    await first.state.console.close()
    second = start_console()
    async with client_at(second, ATTACKER) as attacker:
        assert (await sign_in(attacker, "alice", "guess")).status_code == 429
        limiter_clock.now += 1
        assert (await sign_in(attacker, "alice", "guess")).status_code == 401
        assert (await sign_in(attacker, "alice", "guess")).status_code == 429  # now 2 s


async def test_a_burst_of_parallel_tries_cannot_slip_past_the_delay(app):
    import asyncio

    async with client_at(app, ATTACKER) as attacker:
        answers = await asyncio.gather(*(sign_in(attacker, "alice", "guess")
                                         for _ in range(12)))
    assert sorted(a.status_code for a in answers) == [401] * 3 + [429] * 9
