"""Serving the console: by itself beside polling, or mounted in the webhook app."""

from __future__ import annotations

import contextlib
import socket

import httpx
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from bot.operator import operator_server
from tests.operator.conftest import csrf_of


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_operator_server_serves_while_the_block_runs(app):
    port = _free_port()
    async with operator_server(app, "127.0.0.1", port, "warning"), httpx.AsyncClient() as http:
        page = await http.get(f"http://127.0.0.1:{port}/operator/connexion")
    assert page.status_code == 200
    assert "Connexion" in page.text
    assert app.state.console.store is None  # closed on the way out


async def test_mounted_beside_the_webhook_routes(app):
    async def health(_):
        return PlainTextResponse("ok")

    @contextlib.asynccontextmanager
    async def lifespan(_):
        async with app.router.lifespan_context(app):
            yield

    parent = Starlette(routes=[Route("/healthz", health), Mount("", app=app)],
                       lifespan=lifespan)
    transport = httpx.ASGITransport(app=parent)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        assert (await http.get("/healthz")).text == "ok"
        assert (await http.get("/operator/")).headers["location"].startswith(
            "/operator/connexion")
        form = await http.get("/operator/connexion")
        signed = await http.post("/operator/connexion", data={
            "login": "alice", "password": "correct horse battery", "csrf": csrf_of(form.text)})
        assert signed.headers["location"] == "/operator/"
        assert "SE-000001-1" in (await http.get("/operator/")).text
    await app.state.console.close()
