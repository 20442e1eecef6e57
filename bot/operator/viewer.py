"""A document full-size in the page: each page rendered, zoomed by links (the CSP allows no
script). Every page shown is written to the audit trail, as downloads and previews are.
"""

from __future__ import annotations

import asyncio
import threading

from starlette.requests import Request
from starlette.responses import Response

from bot.operator import params
from bot.operator.files import Shown, document_route
from bot.operator.page_images import RENDERS, page_count, page_jpeg
from bot.operator.web import refuse, render
from bot.storage.operator_queries import reference_number

ZOOMS = ("150", "200", "300")
"""Widths offered beside « fit the page » (empty), in percent of the page's width."""
_RENDERING = threading.BoundedSemaphore(RENDERS)  # held in the worker threads, any loop


def _bounded_page(data: bytes, number: int) -> bytes | None:
    with _RENDERING:
        return page_jpeg(data, number)


async def _page_count(shown: Shown) -> int:
    if shown.kind == "pdf":
        return shown.document.page_count
    return await asyncio.to_thread(page_count, shown.document.original)


@document_route
async def document_view(request: Request, shown: Shown) -> Response:
    """Show every page of a document (original or PDF) full-size, at the zoom chosen."""
    zoom = params.choice(request.query_params, "zoom", ZOOMS)
    count = await _page_count(shown)
    await shown.audit(request, "view")
    reference = shown.reference
    return render(request, "document.html", {
        "doc": shown.document, "kind": shown.kind, "reference": reference, "count": count,
        "zoom": zoom, "zooms": ZOOMS,
        "number": reference_number(reference) if reference else None,
    })


@document_route
async def document_page(request: Request, shown: Shown) -> Response:
    """Send one page of a document as a JPEG (a page it has: else a French 400)."""
    number = params.document_page(request, await _page_count(shown))
    jpeg = await asyncio.to_thread(_bounded_page, shown.data, number)
    if jpeg is None:
        return refuse(request, "operator.error.no_page", 404)
    await shown.audit(request, "page", detail=f"page={number}")
    return Response(jpeg, media_type="image/jpeg")
