"""Finding 7: the sign-in limit trusted X-Forwarded-For from any peer.

Rotating the header gave 40 tries with no 429, and a blocked address signed in by adding it.
Now the header counts only when the connection comes from TRUSTED_PROXIES, read from the
right. Last test: the real server on 127.0.0.1 (uvicorn believes the header from there by
default).
"""

from __future__ import annotations

import ipaddress

import httpx
import pytest

from bot.operator import operator_server
from bot.operator.client import client_address
from tests.operator.conftest import csrf_of, sign_in
from tests.security.console import client_at

PROXY = ipaddress.ip_network("10.0.0.5/32")


def _scope(peer: str, *forwarded: str) -> dict[str, object]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"type": "http", "client": (peer, 1234), "headers": headers}


def test_the_header_is_ignored_without_trusted_proxies():
    assert client_address(_scope("192.0.2.7", "198.51.100.1"), ()) == "192.0.2.7"


def test_the_header_is_ignored_from_a_peer_that_is_not_a_trusted_proxy():
    assert client_address(_scope("192.0.2.7", "198.51.100.1"), (PROXY,)) == "192.0.2.7"


def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client():
    # The client wrote « 198.51.100.1 » itself; the proxy appended the address it saw.
    scope = _scope("10.0.0.5", "198.51.100.1, 203.0.113.9")
    assert client_address(scope, (PROXY,)) == "203.0.113.9"
    assert client_address(_scope("10.0.0.5", "garbage"), (PROXY,)) == "10.0.0.5"
    assert client_address(_scope("10.0.0.5"), (PROXY,)) == "10.0.0.5"


async def test_rotating_the_header_gives_no_extra_tries(app):
    async with client_at(app, "192.0.2.7") as client:
        answers = []
        for number in range(8):
            client.headers["X-Forwarded-For"] = f"198.51.100.{number}"
            answers.append((await sign_in(client, "alice", "guess")).status_code)
    assert answers[:3] == [401, 401, 401]
    assert set(answers[3:]) == {429}


async def test_a_waiting_address_cannot_sign_in_by_naming_another(app):
    async with client_at(app, "192.0.2.8") as client:
        for _ in range(3):
            await sign_in(client, "alice", "guess")
        client.headers["X-Forwarded-For"] = "203.0.113.50"
        assert (await sign_in(client, "alice")).status_code == 429


async def test_behind_a_trusted_proxy_each_client_has_its_own_limit(start_console):
    app = start_console(trusted_proxies=[PROXY])
    async with client_at(app, "10.0.0.5", **{"X-Forwarded-For": "203.0.113.1"}) as attacker:
        for _ in range(4):
            await sign_in(attacker, "alice", "guess")
        assert (await sign_in(attacker, "alice")).status_code == 429
        # Prepending another address changes nothing: the proxy's own hop is the last.
        attacker.headers["X-Forwarded-For"] = "198.51.100.3, 203.0.113.1"
        assert (await sign_in(attacker, "alice")).status_code == 429
    async with client_at(app, "10.0.0.5", **{"X-Forwarded-For": "203.0.113.2"}) as owner:
        assert (await sign_in(owner, "alice")).status_code == 303


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_real_server_ignores_the_header_from_localhost(start_console, free_port):
    app = start_console()  # its clock stands still: the delays cannot run out meanwhile
    async with (operator_server(app, "127.0.0.1", free_port, "warning"),
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port}") as client):
        answers = []
        for number in range(6):
            page = await client.get("/operator/connexion")
            answers.append((await client.post("/operator/connexion", data={
                "login": "alice", "password": "guess", "csrf": csrf_of(page.text)},
                headers={"X-Forwarded-For": f"198.51.100.{number}"})).status_code)
    assert answers[:3] == [401, 401, 401]
    assert set(answers[3:]) == {429}


def test_trusted_proxies_are_read_from_the_environment(monkeypatch):
    from bot.settings import Settings

    assert Settings(_env_file=None).trusted_proxies == ()  # empty by default
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    assert [str(net) for net in Settings(_env_file=None).trusted_proxies] == [
        "127.0.0.1/32", "10.0.0.0/8"]
    monkeypatch.setenv("TRUSTED_PROXIES", "not-an-address")
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6"):
        Settings(_env_file=None)
