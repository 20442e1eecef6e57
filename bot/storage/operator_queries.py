"""Every query of the operator console.

The console reads ``conversation_index`` (a view of the columns each turn writes), searches
what users typed (FTS5 in SQLite, PostgreSQL's own full-text search there: ``Dialect``),
and appends to ``audit``; it erases only through the repository's ``erase_chat``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.domain.archive import claim_reference
from bot.domain.reminders import Reminder
from bot.storage.audit_queries import AUDIT_COLUMNS, AuditFilters, audit_where
from bot.storage.codec import unpacked
from bot.storage.dashboard_queries import Figures, figures
from bot.storage.database import SQLITE, Dialect
from bot.storage.reminder_queries import bot_blocked, chat_reminders, reminder_clause
from bot.storage.repository import ClaimRepository, StoredDocument
from bot.storage.stores import open_store
from states.replay import shown_replies

_REFERENCE = re.compile(r"^\s*SE-0*(\d+)(?:-\d+)?\s*$", re.IGNORECASE)
_COLUMNS = ("id, chat_id, claim_no, state, status, beneficiary, country, blocked_rule,"
            " created_at, updated_at, EXISTS (SELECT 1 FROM outbox AS o"
            " WHERE o.chat_id = conversation_index.chat_id AND o.pack_claim IS NOT NULL)")


def reference_number(text: str) -> int | None:
    """Return the conversation number of a reference (``SE-000042-1``, ``SE-42``), or None."""
    found = _REFERENCE.match(text)
    if found:
        return int(found.group(1))
    return int(text) if text.strip().isdigit() else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ConversationRow:
    """One conversation as the list shows it."""

    number: int
    chat_id: str
    claim_no: int
    state: str
    status: str
    beneficiary: str | None
    country: str | None
    blocked_rule: str | None
    created_at: str
    updated_at: str
    pack_sending: bool = False
    """The claim's pack is in the outbox, not yet delivered (issue 18)."""

    @property
    def shown_status(self) -> str:
        """The status as agents see it: « prête, envoi en cours » until the pack arrived."""
        return "ready_sending" if self.pack_sending and self.status == "ready" else self.status

    @property
    def reference(self) -> str:
        """Return the claim reference."""
        return claim_reference(self.number, self.claim_no)


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; bounds are ISO UTC instants (inclusive, exclusive)."""

    text: str = ""
    states: tuple[str, ...] = ()
    status: str = ""
    country: str = ""
    rule: str = ""
    updated_from: str = ""
    updated_before: str = ""
    reminder: str = ""
    """A key of ``reminder_queries.REMINDER_FILTERS`` (a reminder sent, its answer)."""


@dataclass(frozen=True)
class Page:
    """One page of rows and where it sits."""

    rows: list[ConversationRow]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        """Return how many pages there are (at least one)."""
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True)
class Line:
    """One transcript message: what the bot showed (``out``), what the user typed, pressed,
    sent (``in``), or what an adviser wrote (``agent``)."""

    direction: str
    text: str
    at: str
    buttons: tuple[str, ...] = ()
    """The labels of the buttons the message showed."""
    files: tuple[str, ...] = ()
    """The names of the files the message carried."""
    chosen: str = ""
    """The label of the button the user pressed: of ``buttons`` (out), the press (in)."""
    document: str = ""
    """The id of the stored document a file the user sent became (in)."""
    note: str = ""
    """What the user did, when not plain typing (« Message modifié », an album…)."""
    author: str = ""
    """The adviser who wrote an ``agent`` message (for colleagues; the user sees none)."""

    @property
    def plain(self) -> str:
        """Return the message as one text: buttons in brackets, then the files."""
        extra = [f"[{label}]" for label in self.buttons] + [f"📎 {name}" for name in self.files]
        return "\n".join([self.text, " ".join(extra)]) if extra else self.text


@dataclass(frozen=True)
class Contact:
    """How a conversation reaches its traveller: ``telegram``, ``terminal`` (None: unknown)."""

    channel: str | None
    username: str | None


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document without its bytes."""

    id: str
    claim_no: int
    filename: str
    mime: str
    page_count: int
    received_at: str
    original_size: int
    pdf_size: int


@dataclass(frozen=True)
class AuditEntry:
    """One audit row."""

    id: int
    at: str
    actor: str
    action: str
    reference: str
    document_id: str
    detail: str


def _escaped(text: str) -> str:
    """Return ``text`` for a LIKE pattern, its wildcards matched as themselves."""
    return re.sub(r"([%_\\])", r"\\\1", text)


def _search(text: str, dialect: Dialect) -> tuple[str, list[object]]:
    """Return the clause finding ``text``: a reference, @username, Telegram id, name, words."""
    number = reference_number(text)
    if number is not None and not text.isdigit():
        return "id = ?", [number]
    # Telegram usernames are matched from their start, case ignored (``@`` optional).
    by_username = (f"chat_id IN (SELECT chat_id FROM conversations"  # noqa: S608 (fixed SQL)
                   f" WHERE username {dialect.like} ? ESCAPE '\\')")
    username = _escaped(text.removeprefix("@")) + "%"
    if text.startswith("@"):
        return by_username, [username]
    # The user's own messages only: the bot's texts are the same for everyone.
    match, words = dialect.text_match(text)
    clause = (f"(beneficiary {dialect.like} ? ESCAPE '\\' OR {by_username}"  # noqa: S608
              f" OR chat_id IN (SELECT t.chat_id FROM turns AS t WHERE {match})")  # (fixed SQL)
    params: list[object] = ["%" + _escaped(text) + "%", username, *words]
    if text.isdigit():  # a Telegram id is the chat's id (private chats only)
        clause += " OR chat_id = ?"
        params.append(text)
    return clause + ")", params


def _where(filters: Filters, dialect: Dialect) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if text := filters.text.strip():
        clause, values = _search(text, dialect)
        clauses.append(clause)
        params += values
    if filters.states:
        clauses.append(f"state IN ({', '.join('?' * len(filters.states))})")
        params += filters.states
    for column in ("status", "country"):
        if value := getattr(filters, column):
            clauses.append(f"{column} = ?")
            params.append(value)
    if filters.rule:
        clauses.append("chat_id IN (SELECT chat_id FROM conversation_rules WHERE rule_id = ?)")
        params.append(filters.rule)
    if filters.reminder:
        clauses.append(reminder_clause(filters.reminder))
    if filters.updated_from:
        clauses.append("updated_at >= ?")
        params.append(filters.updated_from)
    if filters.updated_before:
        clauses.append("updated_at < ?")
        params.append(filters.updated_before)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def list_query(filters: Filters, page: int, size: int,
               dialect: Dialect = SQLITE) -> tuple[str, list[object]]:
    """Return the SQL and parameters of one page of the list, newest activity first."""
    where, params = _where(filters, dialect)
    sql = (f"SELECT {_COLUMNS} FROM conversation_index{where}"  # noqa: S608 (placeholders only)
           " ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?")
    return sql, [*params, size, (page - 1) * size]


class OperatorStore:
    """Read the conversations, write the audit trail, erase on request."""

    def __init__(self, repository: ClaimRepository) -> None:
        self._repository = repository
        self._db = repository.database
        self._dialect = self._db.dialect

    @property
    def repository(self) -> ClaimRepository:
        """Return the store the console reads (advisers' acts run turns on it)."""
        return self._repository

    async def _all(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        return await self._db.fetch(sql, params)

    async def conversations(self, filters: Filters, page: int, size: int) -> Page:
        """Return one page of the filtered list and the number of matches."""
        where, params = _where(filters, self._dialect)
        total = (await self._all(f"SELECT count(*) FROM conversation_index{where}",  # noqa: S608
                                 params))[0][0]
        sql, all_params = list_query(filters, page, size, self._dialect)
        rows = [ConversationRow(*row) for row in await self._all(sql, all_params)]
        return Page(rows, int(total), page, size)

    async def conversation(self, number: int) -> ConversationRow | None:
        """Return a conversation by its number."""
        rows = await self._all(f"SELECT {_COLUMNS} FROM conversation_index WHERE id = ?",  # noqa: S608
                               (number,))
        return ConversationRow(*rows[0]) if rows else None

    async def conversation_of(self, chat_id: str) -> ConversationRow | None:
        """Return a conversation by its chat id."""
        rows = await self._all(f"SELECT {_COLUMNS} FROM conversation_index"  # noqa: S608
                               " WHERE chat_id = ?", (chat_id,))
        return ConversationRow(*rows[0]) if rows else None

    async def snapshot(self, chat_id: str) -> str | None:
        """Return the saved snapshot JSON of a chat."""
        return await self._repository.load(chat_id)

    async def transcript(self, chat_id: str) -> list[Line]:
        """Return the chat's messages in order, the bot's rendered in the chat's language."""
        rows = await self._all(
            f"SELECT said, codec, replies, at, (SELECT {self._dialect.language}"  # noqa: S608
            " FROM conversations WHERE chat_id = ?) FROM turns WHERE chat_id = ? ORDER BY id",
            (chat_id, chat_id))
        dictionaries = await self._repository.dictionaries()
        lines: list[Line] = []
        for said, codec_id, replies, at, language in rows:
            if said:
                lines.append(Line("in", said, at))
            if replies:
                stored = unpacked(codec_id, replies, dictionaries)
                lines += [Line("agent" if shown.author else "out", shown.text, at,
                               shown.buttons, shown.files, author=shown.author)
                          for shown in shown_replies(stored, str(language or "fr"))]
        return lines

    async def contact(self, chat_id: str) -> Contact:
        """Return the channel and Telegram username the chat was last seen with."""
        rows = await self._all("SELECT channel, username FROM conversations WHERE chat_id = ?",
                               (chat_id,))
        return Contact(*rows[0]) if rows else Contact(None, None)

    async def events(self, chat_id: str) -> list[tuple[str, str, str]]:
        """Return the chat's (kind, detail, at) events in order."""
        rows = await self._all("SELECT kind, detail, at FROM events WHERE chat_id = ? ORDER BY id",
                               (chat_id,))
        return [(str(k), str(d), str(a)) for k, d, a in rows]

    async def reminders(self, chat_id: str) -> list[Reminder]:
        """Return the chat's reminders, planned and sent, with the follow-up's answers."""
        return await chat_reminders(self._db, chat_id)

    async def bot_blocked(self, chat_id: str) -> bool:
        """Tell whether the user blocked the bot (no reminder reaches them any more)."""
        return await bot_blocked(self._db, chat_id)

    async def documents(self, chat_id: str) -> list[DocumentInfo]:
        """Return the chat's documents, without their bytes, in arrival order."""
        rows = await self._all(
            "SELECT id, claim_no, filename, mime, page_count, received_at, length(original),"  # noqa: S608
            f" length(pdf) FROM documents WHERE chat_id = ? ORDER BY {self._dialect.arrival}",
            (chat_id,))
        return [DocumentInfo(*row) for row in rows]

    async def document(self, doc_id: str) -> StoredDocument | None:
        """Return one document with its bytes."""
        rows = await self._all("SELECT id, chat_id, claim_no, filename, mime, original, pdf,"
                               " page_count FROM documents WHERE id = ?", (doc_id,))
        return StoredDocument(*rows[0]) if rows else None

    async def ready_claims(self, chat_id: str) -> list[tuple[date, str | None]]:
        """Return (date, beneficiary) of the claims the chat made ready."""
        return await self._repository.ready_claims(chat_id)

    async def distinct(self, column: str) -> list[str]:
        """Return the values met in ``country`` or ``rule_id`` (for the filter menus)."""
        table = {"country": "conversation_index", "rule_id": "conversation_rules"}[column]
        rows = await self._all(f"SELECT DISTINCT {column} FROM {table}"  # noqa: S608 (fixed names)
                               f" WHERE {column} IS NOT NULL ORDER BY {column}")
        return [str(row[0]) for row in rows]

    async def record(self, actor: str, action: str, reference: str = "",
                     document_id: str = "", detail: str = "") -> None:
        """Append one audit row."""
        await self._db.execute(
            "INSERT INTO audit (at, actor, action, reference, document_id, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)", (_now(), actor, action, reference, document_id, detail))

    async def audit(self, filters: AuditFilters, page: int,
                    size: int) -> tuple[list[AuditEntry], int]:
        """Return one page of the filtered audit trail, newest first, and the number of rows."""
        where, params = audit_where(filters)
        total = (await self._all(f"SELECT count(*) FROM audit{where}", params))[0][0]  # noqa: S608
        rows = await self._all(f"SELECT {AUDIT_COLUMNS} FROM audit{where}"  # noqa: S608
                               " ORDER BY id DESC LIMIT ? OFFSET ?",
                               (*params, size, (page - 1) * size))
        return [AuditEntry(*row) for row in rows], int(total)

    async def audit_after(self, filters: AuditFilters, below: int | None,
                          size: int) -> list[AuditEntry]:
        """Return up to ``size`` filtered audit rows, newest first, of ids below ``below``."""
        where, params = audit_where(filters, below)
        rows = await self._all(f"SELECT {AUDIT_COLUMNS} FROM audit{where}"  # noqa: S608
                               " ORDER BY id DESC LIMIT ?", (*params, size))
        return [AuditEntry(*row) for row in rows]

    async def figures(self, weeks: Sequence[tuple[str, str]], idle_before: str) -> Figures:
        """Return the dashboard's figures of ``weeks`` (``bot.storage.dashboard_queries``)."""
        return await figures(self._db, weeks, idle_before)

    async def erase(self, chat_id: str) -> None:
        """Erase a chat through the repository (which records the erasure without content)."""
        await self._repository.erase_chat(chat_id)

    async def close(self) -> None:
        """Close the connection."""
        await self._repository.close()


async def open_operator_store(target: str | Path) -> OperatorStore:
    """Open the bot's store (migrating it if needed) for the console: a path or a URL."""
    return OperatorStore(await open_store(target))
