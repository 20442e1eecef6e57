"""The front office in the console: the queue, take, reply, notes, statuses, hand back, news.

Every act on a conversation is a turn of it through the engine (``ConversationService.act``):
only the machine changes its state, and what the traveller is told goes through the store's
outbox, sent by the running bot (this process or another). Each act is written to the audit
trail. Acting needs the ``agent`` role (admins too); reading the queue and notes, any role.
The conversation page polls ``news`` every few seconds for new messages, notes and status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.domain.catalog import get_catalog
from bot.domain.filenames import shown_name
from bot.domain.io import Attachment
from bot.operator import params
from bot.operator.accounts import Role
from bot.operator.dossier import Dossier, paris_time, step_of
from bot.operator.web import (
    actor,
    console,
    csrf_valid,
    current_account,
    refuse,
    render,
    signed_in,
    url,
)
from bot.service import ConversationService
from bot.storage.handoff_queries import HandoffStore, Note
from bot.storage.operator_queries import ConversationRow, Line, OperatorStore
from states.events import AgentInput, AgentReply, HandBack, SetQueue, Take
from states.machine import HANDOFF
from states.snapshot import FlowSnapshot, Handoff, Queue

MAX_REPLY = 4000
"""Characters of one reply (Telegram's message limit is 4096)."""
MAX_NOTE = 2000
MAX_FILE_MB = 10
_MAX_BODY = MAX_FILE_MB * 1_000_000 + 64_000  # the file and the form's few fields
POLL_MILLISECONDS = 3000
"""How often an open conversation page asks for news."""
_t = get_catalog("fr").text


def waited(since: datetime, now: datetime) -> str:
    """Say how long since ``since``: « 12 min », « 2 h 05 »."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return _t("operator.handoff.minutes", minutes=minutes)
    return _t("operator.handoff.hours", hours=minutes // 60, minutes=f"{minutes % 60:02d}")


@dataclass(frozen=True)
class Waiting:
    """One row of the queue."""

    number: int
    reference: str
    beneficiary: str | None
    handoff: Handoff
    claim_step: str
    waited: str


def _stores(store: OperatorStore) -> tuple[HandoffStore, ConversationService]:
    return HandoffStore(store.repository.database), ConversationService(store.repository)


async def waiting_list(store: OperatorStore, now: datetime) -> list[Waiting]:
    """Return the conversations with a person, the longest waiting first."""
    rows = []
    for found in await _stores(store)[0].with_person():
        snapshot = FlowSnapshot.model_validate_json(found.snapshot_json)
        if snapshot.state != HANDOFF or snapshot.handoff is None:
            continue
        rows.append(Waiting(found.number, found.reference, found.beneficiary, snapshot.handoff,
                            step_of(snapshot.claim_state),
                            waited(snapshot.handoff.asked_at, now)))
    return sorted(rows, key=lambda row: row.handoff.asked_at)


def _now() -> datetime:
    return datetime.now(UTC)


@signed_in()
async def queue(request: Request) -> Response:
    """List the conversations waiting for a person, oldest first, with the waiting time."""
    store = await console(request).open()
    rows = await waiting_list(store, _now())
    await store.record(actor(request), "queue", detail=f"{len(rows)}")
    return render(request, "queue.html", {"rows": rows, "may_act": _may_act(request),
                                          "login": actor(request)})


def _may_act(request: Request) -> bool:
    account = current_account(request)
    return account is not None and account.role.allows(Role.AGENT)


def status_line(snapshot: FlowSnapshot, now: datetime) -> str:
    """Say who leads the conversation: the assistant, or a person (and where it stands)."""
    handoff = snapshot.handoff
    if snapshot.state != HANDOFF or handoff is None:
        return _t("operator.handoff.with_bot")
    status = _t(f"operator.queue.status.{handoff.queue.value}")
    if handoff.agent:
        status += " · " + _t("operator.handoff.agent", agent=handoff.agent)
    return _t("operator.handoff.with_person", asked=paris_time(handoff.asked_at.isoformat()),
              waited=waited(handoff.asked_at, now), status=status)


def _line(line: Line) -> dict[str, str]:
    label = (_t("operator.transcript.agent", author=line.author) if line.direction == "agent"
             else _t(f"operator.transcript.{line.direction}"))
    return {"direction": line.direction, "label": label, "text": line.text,
            "at": paris_time(line.at)}


def _note(note: Note) -> dict[str, object]:
    return {"id": note.id, "author": note.author, "text": note.text, "at": paris_time(note.at)}


async def panel(request: Request, dossier: Dossier) -> dict[str, object]:
    """Return what the conversation page shows of the front office (``handoff_panel.html``)."""
    store = await console(request).open()
    handoffs = _stores(store)[0]
    chat_id = dossier.row.chat_id
    notes = await handoffs.notes(chat_id)
    return {
        "handoff": dossier.snapshot.handoff,
        "with_person": dossier.snapshot.state == HANDOFF,
        "handoff_status": status_line(dossier.snapshot, _now()),
        "notes": notes, "last_note": notes[-1].id if notes else 0,
        "turns": await handoffs.turn_count(chat_id),
        "queues": [queue.value for queue in Queue],
        "may_act": _may_act(request), "login": actor(request),
        "handoff_flash": request.session.pop("handoff_flash", None),
        "poll_every": POLL_MILLISECONDS, "max_reply": MAX_REPLY, "max_note": MAX_NOTE,
        "line_of": _line,
    }


async def _conversation(request: Request) -> tuple[OperatorStore, ConversationRow] | None:
    store = await console(request).open()
    row = await store.conversation(params.conversation_number(request))
    return (store, row) if row is not None else None


def _counter(request: Request, name: str) -> int:
    raw = request.query_params.get(name, "0")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise params.BadParameter("operator.error.bad_number")
    return int(raw)


@signed_in()
async def news(request: Request) -> Response:
    """Return what is new since the page was drawn: messages, notes, who leads (JSON)."""
    found = await _conversation(request)
    if found is None:
        return JSONResponse({"error": _t("operator.error.not_found")}, status_code=404)
    store, row = found
    handoffs = _stores(store)[0]
    known_turns, known_lines = _counter(request, "tours"), _counter(request, "lignes")
    turns = await handoffs.turn_count(row.chat_id)
    lines: list[Line] = []
    count = known_lines
    if turns != known_turns:
        transcript = await store.transcript(row.chat_id)
        lines, count = transcript[known_lines:], len(transcript)
    raw = await store.snapshot(row.chat_id)
    status = status_line(FlowSnapshot.model_validate_json(raw), _now()) if raw else ""
    notes = await handoffs.notes(row.chat_id, after=_counter(request, "notes"))
    return JSONResponse({"turns": turns, "line_count": count,
                         "lines": [_line(line) for line in lines],
                         "notes": [_note(note) for note in notes], "status": status})


def _back(request: Request, row: ConversationRow, flash: str | None = None) -> Response:
    if flash:
        request.session["handoff_flash"] = flash
    return RedirectResponse(url(request, "conversation", number=row.number) + "#conseiller",
                            status_code=303)


async def _form(request: Request) -> FormData | None:
    """Read a posted form within bounds; None when its anti-forgery token is wrong."""
    form = await request.form(max_files=1, max_fields=8, max_part_size=64_000)
    return form if csrf_valid(request, form.get("csrf")) else None


async def _apply(request: Request, act: Callable[[str], AgentInput], action: str,
                 detail: str = "", declined: str = "operator.error.not_with_person") -> Response:
    """Apply an adviser's act to the conversation of the path; audit it once it applied."""
    found = await _conversation(request)
    if found is None:
        return refuse(request, "operator.error.not_found", 404)
    store, row = found
    login = actor(request)
    if not await _stores(store)[1].act(row.chat_id, act(login)):
        return _back(request, row, declined)
    await store.record(login, action, row.reference, detail=detail)
    return _back(request, row)


def _too_big(request: Request) -> bool:
    length = request.headers.get("content-length", "")
    return not length.isdigit() or int(length) > _MAX_BODY


@signed_in(Role.AGENT)
async def take(request: Request) -> Response:
    """Take the conversation (« Prendre »), or step in where nobody asked for a person."""
    if await _form(request) is None:
        return refuse(request, "operator.error.csrf", 403)
    return await _apply(request, Take, "take", declined="operator.error.nothing_changed")


@signed_in(Role.AGENT)
async def hand_back(request: Request) -> Response:
    """Give the conversation back to the assistant, which resumes where the claim was."""
    if await _form(request) is None:
        return refuse(request, "operator.error.csrf", 403)
    return await _apply(request, HandBack, "hand_back")


@signed_in(Role.AGENT)
async def set_status(request: Request) -> Response:
    """Move the hand-off in the queue (« résolu » hands back)."""
    form = await _form(request)
    if form is None:
        return refuse(request, "operator.error.csrf", 403)
    chosen = str(form.get("statut", ""))
    if chosen not in {queue.value for queue in Queue}:
        return refuse(request, "operator.error.bad_status", 400)
    queue = Queue(chosen)
    return await _apply(request, lambda login: SetQueue(login, queue), "status", detail=chosen,
                        declined="operator.error.nothing_changed")


async def _attachment(form: FormData) -> Attachment | None:
    sent = form.get("fichier")
    if not isinstance(sent, UploadFile) or not sent.filename:
        return None
    data = await sent.read(MAX_FILE_MB * 1_000_000 + 1)
    if not data:
        return None
    name = shown_name(sent.filename) or "document"
    return Attachment(name, data, sent.content_type or "application/octet-stream")


@signed_in(Role.AGENT)
async def reply(request: Request) -> Response:
    """Send the traveller a message and/or a file, labelled as a person."""
    if _too_big(request):
        return refuse(request, "operator.error.file_too_big", 413)
    form = await _form(request)
    if form is None:
        return refuse(request, "operator.error.csrf", 403)
    text = str(form.get("texte", "")).strip().replace("\x00", "")
    if len(text) > MAX_REPLY:
        return refuse(request, "operator.error.reply_too_long", 400)
    attachment = await _attachment(form)
    if attachment is not None and len(attachment.data) > MAX_FILE_MB * 1_000_000:
        return refuse(request, "operator.error.file_too_big", 413)
    if not text and attachment is None:
        found = await _conversation(request)
        if found is None:
            return refuse(request, "operator.error.not_found", 404)
        return _back(request, found[1], "operator.error.reply_empty")
    detail = "+".join(part for part, sent in (("texte", text), ("fichier", attachment)) if sent)
    return await _apply(request, lambda login: AgentReply(login, text, attachment), "reply",
                        detail=detail)


@signed_in(Role.AGENT)
async def note(request: Request) -> Response:
    """Keep a private note on the conversation (never sent to the traveller)."""
    form = await _form(request)
    if form is None:
        return refuse(request, "operator.error.csrf", 403)
    found = await _conversation(request)
    if found is None:
        return refuse(request, "operator.error.not_found", 404)
    store, row = found
    text = str(form.get("note", "")).strip().replace("\x00", "")
    if len(text) > MAX_NOTE:
        return refuse(request, "operator.error.reply_too_long", 400)
    if not text:
        return _back(request, row, "operator.error.note_empty")
    await _stores(store)[0].add_note(row.chat_id, actor(request), text)
    await store.record(actor(request), "note", row.reference)
    return _back(request, row)


_NUMBER = "/conversations/{number:int}"
ROUTES = [
    Route("/file-attente", queue, name="queue"),
    Route(f"{_NUMBER}/nouveau.json", news, name="news"),
    Route(f"{_NUMBER}/prendre", take, methods=["POST"], name="take"),
    Route(f"{_NUMBER}/repondre", reply, methods=["POST"], name="reply"),
    Route(f"{_NUMBER}/note", note, methods=["POST"], name="note"),
    Route(f"{_NUMBER}/statut", set_status, methods=["POST"], name="set_status"),
    Route(f"{_NUMBER}/rendre", hand_back, methods=["POST"], name="hand_back"),
]
"""The front office's routes, under ``/operator``."""
