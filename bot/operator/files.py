"""Files the console hands out: documents (original and PDF), previews, claim exports.

Every download, preview and export is written to the audit trail.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from bot.documents.sniff import sniff
from bot.domain.archive import claim_reference
from bot.operator import params
from bot.operator.dossier import export_data, summary_pdf
from bot.operator.previews import preview_png
from bot.operator.views import load_dossier
from bot.operator.web import Endpoint, actor, console, refuse, signed_in
from bot.storage.repository import StoredDocument

_MEDIA_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf",
                "webp": "image/webp", "gif": "image/gif", "tiff": "image/tiff",
                "bmp": "image/bmp", "heif": "image/heif"}


def _attachment(data: bytes, media_type: str, filename: str) -> Response:
    """Return ``data`` as a download (never rendered inline: it came from the public)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "fichier"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": disposition})


@dataclass(frozen=True)
class Shown:
    """The document a console path names, in the kind it asks for (``original`` or ``pdf``)."""

    document: StoredDocument
    reference: str
    kind: str

    @property
    def data(self) -> bytes:
        return self.document.pdf if self.kind == "pdf" else self.document.original

    async def audit(self, request: Request, verb: str, detail: str = "") -> None:
        """Write ``<verb>_<kind>`` for this document to the audit trail."""
        store = await console(request).open()
        await store.record(actor(request), f"{verb}_{self.kind}", self.reference,
                           self.document.id, detail=detail)


async def _find_document(request: Request) -> Shown | None:
    kind = request.path_params["kind"]
    if kind not in ("original", "pdf"):
        return None
    store = await console(request).open()
    document = await store.document(params.document_id(request))
    if document is None:
        return None
    row = await store.conversation_of(document.chat_id)
    reference = claim_reference(row.number, document.claim_no) if row else ""
    return Shown(document, reference, kind)


def document_route(handler: Callable[[Request, Shown], Awaitable[Response]]) -> Endpoint:
    """Make a signed-in route of ``handler``: a path naming no document is a French 404."""
    async def route(request: Request) -> Response:
        shown = await _find_document(request)
        if shown is None:
            return refuse(request, "operator.error.not_found", 404)
        return await handler(request, shown)

    route.__name__ = handler.__name__
    route.__doc__ = handler.__doc__
    return signed_in()(route)


@document_route
async def download(request: Request, shown: Shown) -> Response:
    """Send a document as received (``original``) or as converted (``pdf``)."""
    await shown.audit(request, "download")
    document, reference = shown.document, shown.reference
    if shown.kind == "pdf":
        return _attachment(document.pdf, "application/pdf", f"{reference}_{document.id}.pdf")
    media_type = _MEDIA_TYPES.get(sniff(document.original), "application/octet-stream")
    return _attachment(document.original, media_type,
                       f"{reference}_{document.id}_{document.filename}")


@document_route
async def preview(request: Request, shown: Shown) -> Response:
    """Send a PNG of the document's first page (original or PDF)."""
    await shown.audit(request, "preview")
    return Response(await asyncio.to_thread(preview_png, shown.data), media_type="image/png")


@signed_in()
async def export_json(request: Request) -> Response:
    """Send the claim as JSON: fields, findings, checklist, transcript, document list."""
    dossier = await load_dossier(request, params.conversation_number(request))
    if dossier is None:
        return refuse(request, "operator.error.not_found", 404)
    await (await console(request).open()).record(actor(request), "export_json",
                                                  dossier.reference)
    body = json.dumps(export_data(dossier), ensure_ascii=False, indent=2).encode()
    return _attachment(body, "application/json", f"{dossier.reference}.json")


@signed_in()
async def export_pdf(request: Request) -> Response:
    """Send the claim's summary PDF (recap, checklist, next steps)."""
    dossier = await load_dossier(request, params.conversation_number(request))
    if dossier is None:
        return refuse(request, "operator.error.not_found", 404)
    await (await console(request).open()).record(actor(request), "export_pdf",
                                                  dossier.reference)
    return _attachment(await summary_pdf(dossier), "application/pdf",
                       f"{dossier.reference}_recapitulatif.pdf")
