"""How the console narrows the audit trail: by agent, action, claim or conversation, date."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuditFilters:
    """What the audit trail is narrowed to; bounds are ISO UTC instants (inclusive, exclusive).

    ``reference`` is a claim reference (``SE-000042-1``), or a conversation's prefix of
    them (``SE-000042-``: every claim of the conversation).
    """

    actor: str = ""
    action: str = ""
    reference: str = ""
    since: str = ""
    before: str = ""


AUDIT_COLUMNS = "id, at, actor, action, reference, document_id, detail"


def audit_where(filters: AuditFilters, below: int | None = None) -> tuple[str, list[object]]:
    """Return the WHERE clause of ``filters`` (and of ids below ``below``), and its values."""
    clauses: list[str] = []
    params: list[object] = []
    for clause, value in (("actor = ?", filters.actor), ("action = ?", filters.action),
                          ("at >= ?", filters.since), ("at < ?", filters.before)):
        if value:
            clauses.append(clause)
            params.append(value)
    if filters.reference:
        prefix = filters.reference.endswith("-")
        clauses.append("reference LIKE ?" if prefix else "reference = ?")
        params.append(filters.reference + "%" if prefix else filters.reference)
    if below is not None:
        clauses.append("id < ?")
        params.append(below)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
