"""The audit trail for admins: filtered by agent, action, conversation and date; as CSV.

The CSV is streamed in batches (bounded memory, whatever the trail's length) with ``;``
between cells and a BOM, as a French spreadsheet opens it; a cell that a spreadsheet would
read as a formula (``= + - @``, tab, return first) is prefixed with ``'`` (CSV injection).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator, Iterable
from datetime import timedelta

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from bot.domain.catalog import get_catalog
from bot.operator import params
from bot.operator.accounts import Role
from bot.operator.dossier import paris_time
from bot.operator.views import utc_midnight
from bot.operator.web import actor, console, render, signed_in
from bot.storage.audit_queries import AuditFilters
from bot.storage.operator_queries import AuditEntry

_ACTION_PREFIX = "operator.audit.action."
_CLAIM = re.compile(r"^(?:SE-)?0*(\d{1,12})(?:-(\d{1,6}))?$", re.IGNORECASE)
_LOGIN = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
CSV_BATCH = 1000


def actions() -> dict[str, str]:
    """Return every audited action's code and its French label, by code."""
    catalog = get_catalog("fr")
    keys = catalog.keys()
    codes = sorted(key.removeprefix(_ACTION_PREFIX) for key in keys
                   if key.startswith(_ACTION_PREFIX))
    return {code: catalog.text(_ACTION_PREFIX + code) for code in codes}


def _claims(raw: str) -> str:
    """Return the references ``raw`` names: one claim (``SE-42-1``), or a conversation's."""
    found = _CLAIM.match(raw.replace(" ", ""))
    if found is None or int(found[1]) == 0:
        raise params.BadParameter("operator.error.bad_reference")
    prefix = f"SE-{int(found[1]):06d}-"
    return prefix + str(int(found[2])) if found[2] else prefix


def read_audit_filters(query: QueryParams) -> tuple[AuditFilters, dict[str, str]]:
    """Read the audit page's filters (``BadParameter``, a French 400, if one is wrong)."""
    start, end = params.day(query, "du"), params.day(query, "au")
    if start and end and start > end:
        raise params.BadParameter("operator.error.bad_range")
    agent = params.text(query, "agent")
    if agent and not _LOGIN.match(agent):
        raise params.BadParameter("operator.error.bad_agent")
    typed = {"agent": agent, "action": params.choice(query, "action", actions()),
             "conversation": params.text(query, "conversation"),
             "du": start.isoformat() if start else "", "au": end.isoformat() if end else ""}
    filters = AuditFilters(
        actor=agent, action=typed["action"],
        reference=_claims(typed["conversation"]) if typed["conversation"] else "",
        since=utc_midnight(start) if start else "",
        before=utc_midnight(end + timedelta(days=1)) if end else "")
    return filters, typed


def _detail(typed: dict[str, str], **more: object) -> str:
    shown = [f"{key}={value}" for key, value in (*more.items(), *typed.items()) if value]
    return " ".join(shown)


@signed_in(Role.ADMIN)
async def audit(request: Request) -> Response:
    """Show the audit trail, newest first, filtered (admins only; nothing here edits it)."""
    app = console(request)
    store = await app.open()
    filters, typed = read_audit_filters(request.query_params)
    number = params.page_number(request.query_params)
    entries, total = await store.audit(filters, number, app.settings.page_size)
    await store.record(actor(request), "audit", detail=_detail(typed, page=number))
    pages = max(1, -(-total // app.settings.page_size))
    return render(request, "audit.html", {
        "entries": entries, "total": total, "number": number, "pages": pages,
        "typed": typed, "actions": actions(), "agents": sorted(app.accounts.current()),
    })


def safe_cell(value: str) -> str:
    """Return ``value`` as a spreadsheet shows it as text, never runs it as a formula."""
    return "'" + value if value.startswith(_FORMULA) else value


def _csv(rows: Iterable[Iterable[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def _row(entry: AuditEntry, labels: dict[str, str]) -> list[str]:
    return [paris_time(entry.at), entry.actor, labels.get(entry.action, entry.action),
            entry.action, entry.reference, entry.document_id, entry.detail]


@signed_in(Role.ADMIN)
async def audit_csv(request: Request) -> Response:
    """Send the filtered audit trail as CSV, newest first (the export itself is audited)."""
    store = await console(request).open()
    filters, typed = read_audit_filters(request.query_params)
    await store.record(actor(request), "audit_export", detail=_detail(typed))
    labels = actions()
    t = get_catalog("fr").text

    async def lines() -> AsyncIterator[str]:
        yield "\ufeff" + _csv([[t(f"operator.audit.csv.{column}") for column in (
            "at", "actor", "action", "code", "reference", "document", "detail")]])
        below: int | None = None
        while batch := await store.audit_after(filters, below, CSV_BATCH):
            yield _csv(_row(entry, labels) for entry in batch)
            below = batch[-1].id

    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="journal-audit.csv"'})
