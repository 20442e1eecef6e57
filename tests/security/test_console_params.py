"""Finding 11: out-of-range parameters answered 500 with a traceback, or dropped the connection.

Every query and path parameter is now checked: a French 400, never a 500. Through the ASGI
transport an unhandled error would raise here; the last test asks the real server.
"""

from __future__ import annotations

import httpx
import pytest

from bot.operator import operator_server
from tests.operator.conftest import sign_in

# The red-team's own requests first, then neighbours of each.
OUT_OF_RANGE = [
    "/operator/?page=99999999999999999999",
    f"/operator/conversations/{2**63}",
    "/operator/?au=9999-12-31",
    "/operator/?page=9223372036854775807",
    "/operator/?du=0001-01-01",
    "/operator/?page=0",
    "/operator/?page=-1",
    "/operator/?page=abc",
    "/operator/?page=%EF%BC%91",  # a full-width « 1 »: isdigit() says yes, int() agrees
    "/operator/?du=2020-02-30",
    "/operator/?au=31/12/2020",
    "/operator/?du=1999-12-31",
    "/operator/?etape=nope",
    "/operator/?statut=%27%20OR%201%3D1",
    "/operator/?pays=" + "X" * 40,
    "/operator/?q=" + "a" * 201,
    "/operator/audit?page=99999999999999999999",
    "/operator/audit?page=9223372036854775807",
    f"/operator/conversations/{2**63}/export.json",
    f"/operator/conversations/{2**64}/recapitulatif.pdf",
    "/operator/conversations/0",
    f"/operator/conversations/{10**40}/effacer",
    "/operator/documents/" + "a" * 65 + "/original",
    "/operator/documents/abc%00def/pdf/apercu.png",
]


@pytest.mark.parametrize("path", OUT_OF_RANGE)
async def test_out_of_range_parameters_are_a_french_400(admin, path):
    response = await admin.get(path)
    assert response.status_code == 400, response.text[:200]
    assert "invalide" in response.text or "inconnu" in response.text or "trop" in response.text
    assert "Traceback" not in response.text and "Error" not in response.text


async def test_in_range_values_still_work(admin):
    for path in ("/operator/?page=1", "/operator/?du=2020-01-01&au=2020-12-31",
                 "/operator/?page=100000", "/operator/conversations/1",
                 "/operator/audit?page=2", "/operator/?etape=stay&statut=ready&pays=PL"):
        assert (await admin.get(path)).status_code == 200, path
    assert (await admin.get("/operator/conversations/999999999999")).status_code == 404


async def test_a_visitor_is_sent_to_sign_in_not_told_about_parameters(client):
    response = await client.get("/operator/?page=99999999999999999999")
    assert response.status_code == 303


async def test_a_posted_erasure_with_a_huge_number_is_a_400(admin):
    page = await admin.get("/operator/")
    import re

    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    response = await admin.post(f"/operator/conversations/{2**63}/effacer",
                                data={"csrf": token, "confirmation": "SE-1"})
    assert response.status_code == 400


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_real_server_answers_every_one_of_them(start_console, free_port):
    app = start_console()
    async with (operator_server(app, "127.0.0.1", free_port, "warning"),
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port}") as client):
        assert (await sign_in(client, "alice")).status_code == 303
        for path in OUT_OF_RANGE:
            assert (await client.get(path)).status_code == 400, path
