"""The console's pages: the list, one conversation, the audit trail, erasure (admins)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.domain.archive import claim_reference
from bot.domain.catalog import get_catalog
from bot.domain.countries import country
from bot.operator import handoff, params
from bot.operator.accounts import Role
from bot.operator.dossier import PARIS, STEP_STATES, Dossier, build_dossier, step_of
from bot.operator.web import actor, console, csrf_valid, refuse, render, signed_in, url
from bot.storage.operator_queries import ConversationRow, Filters
from bot.storage.reminder_queries import REMINDER_FILTERS
from bot.storage.repository import instant
from states.snapshot import Status

_LOGGER = logging.getLogger(__name__)
STATUSES = tuple(status.value for status in Status)


def utc_midnight(day: date) -> str:
    """Return the UTC instant of midnight in Paris on ``day`` (what operators mean by a date)."""
    return datetime.combine(day, time(0), PARIS).astimezone(UTC).isoformat(timespec="seconds")


def read_filters(query: QueryParams) -> tuple[Filters, dict[str, str]]:
    """Read the list's filters from the query string (``BadParameter`` if one is wrong)."""
    start, end = params.day(query, "du"), params.day(query, "au")
    typed = {"q": params.text(query, "q"), "etape": params.choice(query, "etape", STEP_STATES),
             "statut": params.choice(query, "statut", STATUSES),
             "pays": params.code(query, "pays").upper(), "regle": params.code(query, "regle"),
             "du": start.isoformat() if start else "", "au": end.isoformat() if end else "",
             "relance": params.choice(query, "relance", REMINDER_FILTERS)}
    filters = Filters(
        text=typed["q"],
        states=STEP_STATES.get(typed["etape"], ()),
        status=typed["statut"],
        country=typed["pays"],
        rule=typed["regle"],
        updated_from=utc_midnight(start) if start else "",
        updated_before=utc_midnight(end + timedelta(days=1)) if end else "",
        reminder=typed["relance"],
    )
    return filters, typed


def _audit_detail(typed: dict[str, str], page: int) -> str:
    """Describe the filters used, leaving out the searched words (they may name someone)."""
    shown = [f"{k}={v}" for k, v in typed.items() if v and k != "q"]
    if typed["q"]:
        shown.append("q=…")
    return " ".join([f"page={page}", *shown])


def _country_label(code: str | None) -> str:
    if not code:
        return "—"
    try:
        return country(code).label
    except (KeyError, LookupError):
        return code


def _channel_label(channel: str | None) -> str:
    catalog = get_catalog("fr")
    key = f"operator.channel.{channel}"
    return catalog.text(key if channel and catalog.has(key) else "operator.channel.unknown")


@signed_in()
async def conversations(request: Request) -> Response:
    """List the conversations, newest activity first, filtered and paginated."""
    app = console(request)
    store = await app.open()
    filters, typed = read_filters(request.query_params)
    page = await store.conversations(filters, params.page_number(request.query_params),
                                     app.settings.page_size)
    await store.record(actor(request), "list", detail=_audit_detail(typed, page.number))
    countries = await store.distinct("country")
    return render(request, "list.html", {
        "page": page, "typed": typed, "steps": list(STEP_STATES), "statuses": STATUSES,
        "countries": [(code, _country_label(code)) for code in countries],
        "rules": await store.distinct("rule_id"), "step_of": step_of,
        "reminder_filters": list(REMINDER_FILTERS),
        "country_label": _country_label,
        "flash": request.session.pop("flash", None),
    })


async def load_dossier(request: Request, number: int) -> Dossier | None:
    """Return the dossier of conversation ``number``, or None if there is none."""
    app = console(request)
    store = await app.open()
    row = await store.conversation(number)
    snapshot = await store.snapshot(row.chat_id) if row else None
    if row is None or snapshot is None:
        return None
    return build_dossier(
        row, snapshot, transcript=await store.transcript(row.chat_id),
        events=await store.events(row.chat_id), documents=await store.documents(row.chat_id),
        ready=await store.ready_claims(row.chat_id), today=app.today(),
    )


@signed_in()
async def conversation(request: Request) -> Response:
    """Show one conversation: transcript, fields, findings, checklist, documents, trace."""
    dossier = await load_dossier(request, params.conversation_number(request))
    if dossier is None:
        return refuse(request, "operator.error.not_found", 404)
    store = await console(request).open()
    await store.record(actor(request), "view", dossier.reference)
    contact = await store.contact(dossier.row.chat_id)
    return render(request, "conversation.html", {
        "d": dossier, "step": step_of(dossier.row.state), "contact": contact,
        "channel": _channel_label(contact.channel),
        "country_label": _country_label(dossier.row.country),
        "doc_reference": lambda claim_no: claim_reference(dossier.row.number, claim_no),
        **await handoff.panel(request, dossier),
        "reminders": await store.reminders(dossier.row.chat_id),
        "bot_blocked": await store.bot_blocked(dossier.row.chat_id), "instant": instant,
    })


async def _row(request: Request) -> ConversationRow | None:
    store = await console(request).open()
    return await store.conversation(params.conversation_number(request))


@signed_in(Role.ADMIN)
async def erase_form(request: Request) -> Response:
    """Ask an admin to confirm an erasure by typing the claim reference."""
    row = await _row(request)
    if row is None:
        return refuse(request, "operator.error.not_found", 404)
    return render(request, "erase.html", {"row": row})


@signed_in(Role.ADMIN)
async def erase(request: Request) -> Response:
    """Erase a conversation once confirmed; the trail keeps the reference, not the content."""
    form = await request.form()
    if not csrf_valid(request, form.get("csrf")):
        return refuse(request, "operator.error.csrf", 403)
    row = await _row(request)
    if row is None:
        return refuse(request, "operator.error.not_found", 404)
    if str(form.get("confirmation", "")).strip().upper() != row.reference:
        return render(request, "erase.html", {"row": row,
                                              "error": "operator.erase.mismatch"}, 400)
    store = await console(request).open()
    await store.erase(row.chat_id)
    await store.record(actor(request), "erase", row.reference)
    _LOGGER.info("conversation erased by an operator")
    request.session["flash"] = row.reference
    return RedirectResponse(url(request, "conversations"), status_code=303)
