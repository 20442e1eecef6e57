"""The conversation service: one turn = load the chat's flow, apply the input, save, reply.

Adapters call ``ConversationService.handle`` with a ``UserInput`` and render the replies.
Turns of one chat run one at a time; conversions and OCR run in bounded worker processes
(``bot.service_documents``), so no file can exhaust the bot or delay other chats.
A turn is saved in one transaction, with the incoming event id, so a crash loses at most the
turn in progress and a redelivered event is answered once. A turn with an event id also
writes its replies, whole, to the outbox in that transaction (``bot.outbox``): the adapter
delivers them and settles the entry, and an entry a crash left behind is delivered later.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from weakref import WeakValueDictionary
from zoneinfo import ZoneInfo

from bot import documents
from bot.documents.isolation import Isolation
from bot.domain.catalog import get_catalog
from bot.domain.claim import DocumentRef, ReceiptRead
from bot.domain.eligibility import PastClaim
from bot.domain.filenames import shown_name
from bot.domain.io import Album, Command, Edit, Press, Reply, Text, Upload, UserInput
from bot.domain.opening_hours import AdviserDesk
from bot.domain.reminders import Reminder, ReminderContext, ReminderPolicy, reminder_policy
from bot.domain.reply_json import replies_to_json
from bot.domain.sender import Sender
from bot.domain.text import valid_unicode
from bot.observability import metrics
from bot.outbox import LEASE_SECONDS, Outbox
from bot.service_documents import convert_uploads, read_uploads, shared_conversions
from bot.service_pack import build_pack, plan_claim, planned_files
from bot.service_record import console_columns, rules_met, trace_events
from bot.service_reminders import planned_change, reminder_events, send_due
from bot.storage.repository import (
    AlbumStore,
    ArchivedClaim,
    ClaimRepository,
    ConversationErased,
    StoredDocument,
    Turn,
    TurnContext,
)
from states.events import AgentInput, DocumentAdded, DocumentFailed, FlowInput, Overdue
from states.flow import ClaimFlow
from states.machine import CANCELLED, DOCUMENTS, DONE, WELCOME
from states.replay import encode_replies
from states.snapshot import FlowSnapshot

_LOGGER = logging.getLogger(__name__)
PARIS = ZoneInfo("Europe/Paris")
# A message id as an adapter names it (Telegram's are integers); longer is not one.
_MAX_REF = 32


def paris_today() -> date:
    """Return today's date in France (the caisse's calendar)."""
    return datetime.now(PARIS).date()


def utc_now() -> datetime:
    """Return the present instant (UTC)."""
    return datetime.now(UTC)


# Every service of this process shares the chats' locks, so an adviser's act from the console
# served beside the bot waits for the traveller's turn in progress (and the other way round).
# Keyed by event loop too: a lock belongs to the loop it was first awaited in.
_LOCKS: WeakValueDictionary[tuple[int, str], asyncio.Lock] = WeakValueDictionary()


class ConversationService:
    """Drive one conversation per chat over a ``ClaimRepository``.

    ``conversions``: the worker processes files are converted in (default: the process's
    shared ones, with the default limits).
    """

    def __init__(
        self,
        repository: ClaimRepository,
        *,
        clock: Callable[[], date] | None = None,
        language: str = "fr",
        conversions: Isolation | None = None,
        now: Callable[[], datetime] = utc_now,
        desk: AdviserDesk | None = None,
        reminders: ReminderPolicy | None = None,
    ) -> None:
        """``clock`` gives today in France, ``now`` the instant (today follows it if alone)."""
        self._repository = repository
        self._now = now
        self._clock = clock or (paris_today if now is utc_now
                                else lambda: now().astimezone(PARIS).date())
        self._language = language
        self._conversions = conversions or shared_conversions()
        self._desk = desk or AdviserDesk.of()
        self._reminders = reminders or reminder_policy()
        self.outbox = Outbox(repository)
        """What turns, agents and reminders have to say, until it reached the user."""

    def _lock(self, chat_id: str) -> asyncio.Lock:
        key = (id(asyncio.get_running_loop()), chat_id)
        lock = _LOCKS.get(key)
        if lock is None:
            lock = asyncio.Lock()
            _LOCKS[key] = lock
        return lock

    @property
    def desk(self) -> AdviserDesk:
        """Return the advisers' hours and how soon they answer."""
        return self._desk

    @property
    def albums(self) -> AlbumStore:
        """Where the Telegram adapter holds album items until their album is complete."""
        return self._repository

    async def language(self, chat_id: str) -> str:
        """Return the language of the chat's conversation (French until the user switches)."""
        raw = await self._repository.load(chat_id)
        if raw is None:
            return self._language
        return FlowSnapshot.model_validate_json(raw).language

    async def handle(
        self, chat_id: str, user_input: UserInput, *, event_id: str | None = None,
        language: str | None = None, sender: Sender | None = None,
    ) -> list[Reply]:
        """Apply one input of ``chat_id`` and return the replies to send.

        ``language`` is the user's own (Telegram's ``language_code``): a new conversation
        starts in French for ``fr``, in English for any other, in French when unknown.
        ``sender`` (channel, username) is kept with the conversation for the console.
        """
        lock = self._lock(chat_id)
        # This process's turns of the chat queue on ``lock``; the store's ``chat_turn`` holds
        # the chat against other workers (PostgreSQL), so a turn always sees the last one.
        async with (metrics.timed_turn(type(user_input).__name__), lock,
                    self._repository.chat_turn(chat_id)):
            context = await self._repository.open_turn(chat_id, event_id)
            if context.seen:
                # Delivered again: its turn is saved and its replies are in the outbox until
                # they reached the user (``Outbox.take`` with the event id). Change nothing.
                _LOGGER.info("event %s delivered again: already handled", event_id)
                return []
            first = self._language if language is None else (
                "fr" if language.lower().startswith("fr") else "en")
            return await self._turn(chat_id, user_input, event_id, context, first,
                                    sender) or []

    async def act(self, chat_id: str, action: AgentInput) -> bool:
        """Apply an adviser's act (or the hand-off watch's) to a stored conversation.

        It is a turn of the chat, under the same locks; what it says to the traveller goes
        through the store's outbox, sent by the running bot (this process or another).
        Returns False when the act does not apply (no such chat, not with a person…).
        """
        async with self._lock(chat_id), self._repository.chat_turn(chat_id):
            context = await self._repository.open_turn(chat_id, None)
            if context.snapshot_json is None:
                return False
            replies = await self._turn(chat_id, action, None, context, self._language)
            if replies is None:
                return False
            if replies:  # still holding the chat: posted before any later turn's replies
                kind = "handoff_watch" if isinstance(action, Overdue) else "agent"
                await self.outbox.post(chat_id, replies, kind=kind)
        return True

    async def _turn(
        self, chat_id: str, user_input: UserInput | AgentInput, event_id: str | None,
        context: TurnContext, language: str, sender: Sender | None = None,
    ) -> list[Reply] | None:
        """Run one turn and save it; None when an adviser's act was declined (nothing saved)."""
        if isinstance(user_input, Text):
            user_input = Text(valid_unicode(user_input.text), user_input.ref)
        elif isinstance(user_input, Edit):
            user_input = Edit(valid_unicode(user_input.text), user_input.ref)
        elif isinstance(user_input, Press):
            user_input = Press(valid_unicode(user_input.payload))
        raw = context.snapshot_json
        snapshot = (FlowSnapshot.model_validate_json(raw) if raw
                    else FlowSnapshot(language=language))
        rules_before = rules_met(snapshot) if raw else None
        status_before = snapshot.status.value if raw else None
        off_before = snapshot.reminders_off if raw else None
        flow = self._flow(snapshot, context, self._now())
        event, stored = await self._prepare(chat_id, flow.snapshot, user_input, flow.today)
        outcome = flow.handle(event)
        if outcome.declined:
            return None
        replies = list(outcome.replies)
        if outcome.erase:
            await self._repository.erase_chat(chat_id)
            _LOGGER.info("chat data erased on request")
            return replies
        planned_before = list(flow.snapshot.planned)
        erased: tuple[str, ...] = ()
        if flow.snapshot.documents_key() != flow.snapshot.plan_key:
            erased = await self._plan_files(chat_id, flow.snapshot, stored)
        if outcome.checklist:
            replies += flow.documents_planned(planned_before)
        if outcome.send_pack:
            claim_documents = await self._repository.documents(chat_id, flow.snapshot.claim_no)
            # The pack first, then the closing message whose buttons start the next claim.
            replies = [*await build_pack(flow, claim_documents), *replies]
        if outcome.resend_pack is not None:
            replies = [*await self._pack_again(chat_id, flow, outcome.resend_pack), *replies]
        now = datetime.now(UTC)
        snapshot = flow.snapshot
        durable = event_id is not None and bool(replies)
        events = [*trace_events(flow.moves), *outcome.events]
        if snapshot.blocked and any(m.trigger == "block" for m in flow.moves):
            events.append(("blocked", snapshot.blocked.rule_id))
        events += reminder_events(off_before, snapshot, outcome)
        turn = Turn(
            chat_id=chat_id, state=snapshot.state, status=snapshot.status.value,
            snapshot_json=snapshot.model_dump_json(exclude_defaults=True), at=now,
            said="" if isinstance(user_input, AgentInput) else _describe(user_input),
            replies=encode_replies(replies),
            columns=console_columns(snapshot, rules_before), event_id=event_id,
            claim_ready_on=snapshot.ready_on if outcome.claim_ready else None,
            beneficiary=snapshot.draft.beneficiary_name if outcome.claim_ready else None,
            events=tuple(events), documents=stored, erased_documents=erased,
            existed=context.snapshot_json is not None, sender=sender,
            archived=tuple(ArchivedClaim(old.claim_no, old.status.value,
                                         old.draft.beneficiary_name,
                                         old.model_dump_json(exclude_defaults=True))
                           for old in flow.archived),
            outbox=replies_to_json(replies) if durable else None,
            outbox_until=now.timestamp() + LEASE_SECONDS,
            pack_claim=snapshot.claim_no if outcome.send_pack else None,
            reminders=planned_change(flow), follow_up=outcome.follow_up,
        )
        try:
            await self._repository.save_turn(turn)
        except ConversationErased:
            _LOGGER.info("conversation erased during its turn; the turn is dropped")
            if isinstance(user_input, AgentInput):  # nobody to tell: the act did not apply
                return None
            return [Reply(get_catalog(flow.snapshot.language).text("delete.erased_meanwhile"))]
        metrics.claim_status(status_before, turn.status)
        return replies

    def _flow(self, snapshot: FlowSnapshot, context: TurnContext, now: datetime) -> ClaimFlow:
        """Return the flow of a turn (or of a reminder) on the chat's saved state."""
        history = [PastClaim(day, name) for day, name in context.ready_claims]
        if snapshot.ready_on and history:  # a ready claim is not in its own history (LIM-01)
            history = history[:-1]
        return ClaimFlow(snapshot, today=self._clock(), history=history, claims=context.claims,
                         number=context.number, now=now, desk=self._desk,
                         reminders=ReminderContext(self._reminders, context.reminders))

    async def due_reminders(self, now: datetime, limit: int = 100) -> list[Reminder]:
        """Return the reminders due at ``now`` (up to ``limit``), the oldest first."""
        return await self._repository.due_reminders(now, limit)

    async def remind(self, reminder: Reminder, now: datetime) -> bool:
        """Send a due reminder through the outbox, once; tell whether it was sent now.

        The chat is held as for a turn: a message of the user's meanwhile is seen first.
        """
        chat_id = reminder.chat_id
        async with self._lock(chat_id), self._repository.chat_turn(chat_id):
            context = await self._repository.open_turn(chat_id, None)
            if context.snapshot_json is None:  # erased meanwhile
                return False
            snapshot = FlowSnapshot.model_validate_json(context.snapshot_json)
            return await send_due(self._repository, self._flow(snapshot, context, now), reminder)

    async def _plan_files(
        self, chat_id: str, snapshot: FlowSnapshot, new: tuple[StoredDocument, ...]
    ) -> tuple[str, ...]:
        """Name the files the claim's documents make (merges included), for the user.

        Returns the stored documents the claim no longer has (removed, replaced): the turn
        erases them, so no copy of a removed document stays.
        """
        saved = await self._repository.documents(chat_id, snapshot.claim_no)
        plan = await plan_claim(snapshot.draft, {doc.id: doc.pdf for doc in (*saved, *new)})
        snapshot.planned = planned_files(plan)
        snapshot.plan_key = snapshot.documents_key()
        kept = {ref.id for ref in snapshot.draft.documents}
        return tuple(doc.id for doc in saved if doc.id not in kept)

    async def live_message_shown(self, chat_id: str, ref: str) -> None:
        """Remember which message shows the chat's live checklist now (the adapter's id).

        Saved in the snapshot, so the next change edits that message, after a restart too.
        """
        async with self._lock(chat_id), self._repository.chat_turn(chat_id):
            raw = await self._repository.load(chat_id)
            if raw is None:  # erased meanwhile
                return
            snapshot = FlowSnapshot.model_validate_json(raw)
            snapshot.checklist_message = ref[:_MAX_REF]
            await self._repository.update_snapshot(
                chat_id, snapshot.model_dump_json(exclude_defaults=True))

    async def _pack_again(self, chat_id: str, flow: ClaimFlow, claim_no: int) -> list[Reply]:
        """Return the files of a ready claim of the chat again, as first sent."""
        snapshot = flow.snapshot
        if claim_no != snapshot.claim_no:
            archived = await self._repository.archived_claim(chat_id, claim_no)
            if archived is None:
                return [Reply(flow.catalog.text("error.stale_button"))]
            snapshot = FlowSnapshot.model_validate_json(archived)
        ready = ClaimFlow(snapshot, today=flow.today, history=flow.history, claims=flow.claims,
                          number=flow.number)
        files = await build_pack(ready, await self._repository.documents(chat_id, claim_no),
                                 files_only=True)
        lead = Reply(flow.catalog.text("claims.resent", reference=flow.reference(claim_no)))
        return [lead, *files]

    async def _prepare(
        self, chat_id: str, snapshot: FlowSnapshot, user_input: UserInput | AgentInput,
        today: date,
    ) -> tuple[FlowInput, tuple[StoredDocument, ...]]:
        """Convert a file before the flow sees it; the document is saved with the turn.

        During a hand-off too: the claim stays where it was (``claim_state``).
        """
        if not isinstance(user_input, Upload | Album):
            return user_input, ()
        catalog = get_catalog(snapshot.language)
        claim_state = snapshot.claim_state
        if claim_state == WELCOME or not snapshot.accepted_privacy:
            return DocumentFailed(catalog.text("documents_step.accept_first")), ()
        if claim_state in (DONE, CANCELLED):
            # The pack is already sent: a file now would belong to no claim.
            return DocumentFailed(catalog.text("documents_step.claim_closed")), ()
        items = user_input.items if isinstance(user_input, Album) else (user_input,)
        try:
            converted, rejected = await convert_uploads(self._conversions, items,
                                                        snapshot.language)
            metrics.document_converted(converted.source_kind, len(converted.pdf))
        except documents.DocumentRejected as refused:
            return DocumentFailed(refused.text(snapshot.language)), ()
        doc_id = secrets.token_hex(4)
        first = items[0]
        name = first.filename or ("album" if len(items) > 1 else "photo")
        stored = StoredDocument(
            id=doc_id, chat_id=chat_id, claim_no=snapshot.claim_no, filename=name,
            mime=first.mime or converted.source_kind, original=first.data, pdf=converted.pdf,
            page_count=converted.page_count,
        )
        notices = (*(n for item in items for n in item.notices),
                   *converted.notice_texts(snapshot.language), *rejected)
        readings: tuple[ReceiptRead, ...] = ()
        # The receipts' total at the amount question, and the checks at step 4 (RCT-01…03).
        if snapshot.receipts_for_amount is not None or claim_state == DOCUMENTS:
            # OCR: about a second a page, in a worker too.
            readings = await read_uploads(self._conversions, items, today)
        return DocumentAdded(
            DocumentRef(id=doc_id, filename=shown_name(name), page_count=converted.page_count,
                        source_kind=converted.source_kind, pdf_size=len(converted.pdf)),
            notices=notices, readings=readings,
        ), (stored,)


def _describe(user_input: UserInput) -> str:
    match user_input:
        case Text(text=text):
            return text
        case Edit(text=text):
            return f"[modifié] {text}"
        case Press(payload=payload):
            return f"[bouton] {payload}"
        case Command(name=name):
            return f"/{name}"
        case Upload(filename=filename, data=data):
            return f"[document] {filename or 'photo'} ({len(data)} octets)"
        case Album(items=items):
            return f"[album] {len(items)} fichiers"
