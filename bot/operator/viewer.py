"""A document full-size in the page: each page rendered, zoomed by links (the CSP allows no
script). Every page shown is written to the audit trail, as downloads and previews are.
"""

from __future__ import annotations

import asyncio
import threading

from starlette.requests import Request
from starlette.responses import Response

from bot.operator import params
from bot.operator.files import find_document
from bot.operator.page_images import RENDERS, page_count, page_jpeg
from bot.operator.web import actor, console, refuse, render, signed_in
from bot.storage.operator_queries import reference_number
from bot.storage.repository import StoredDocument

ZOOMS = ("150", "200", "300")
"""Widths offered beside « fit the page » (empty), in percent of the page's width."""
_RENDERING = threading.BoundedSemaphore(RENDERS)  # held in the worker threads, any loop


def _bounded_page(data: bytes, number: int) -> bytes | None:
    with _RENDERING:
        return page_jpeg(data, number)


async def _pages(document: StoredDocument, kind: str) -> tuple[bytes, int]:
    """Return the bytes shown for ``kind`` and how many pages they show."""
    if kind == "pdf":
        return document.pdf, document.page_count
    return document.original, await asyncio.to_thread(page_count, document.original)


@signed_in()
async def document_view(request: Request) -> Response:
    """Show every page of a document (original or PDF) full-size, at the zoom chosen."""
    zoom = params.choice(request.query_params, "zoom", ZOOMS)
    found = await find_document(request)
    if found is None:
        return refuse(request, "operator.error.not_found", 404)
    document, reference = found
    kind = request.path_params["kind"]
    _, count = await _pages(document, kind)
    await (await console(request).open()).record(actor(request), f"view_{kind}", reference,
                                                  document.id)
    return render(request, "document.html", {
        "doc": document, "kind": kind, "reference": reference, "count": count, "zoom": zoom,
        "zooms": ZOOMS, "number": reference_number(reference) if reference else None,
    })


@signed_in()
async def document_page(request: Request) -> Response:
    """Send one page of a document as a JPEG (a page it has: else a French 400)."""
    found = await find_document(request)
    if found is None:
        return refuse(request, "operator.error.not_found", 404)
    document, reference = found
    kind = request.path_params["kind"]
    data, count = await _pages(document, kind)
    number = params.document_page(request, count)
    jpeg = await asyncio.to_thread(_bounded_page, data, number)
    if jpeg is None:
        return refuse(request, "operator.error.no_page", 404)
    await (await console(request).open()).record(actor(request), f"page_{kind}", reference,
                                                  document.id, detail=f"page={number}")
    return Response(jpeg, media_type="image/jpeg")
