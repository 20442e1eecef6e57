"""Query and path parameters, checked before use: out of range is a 400, never a 500.

Each reader raises ``BadParameter`` with the catalog key of a French message; the app
answers it with the error page (finding 11: ``?page=99999999999999999999``, a conversation
id of 2^63, ``?au=9999-12-31`` and ``?du=0001-01-01`` used to crash the request).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from starlette.datastructures import QueryParams
from starlette.requests import Request

MAX_PAGE = 100_000
MAX_NUMBER = 10**12  # conversation numbers: far beyond any real count, far below 2^63
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
MAX_TEXT = 200
_DOCUMENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CODE = re.compile(r"^[A-Za-z0-9._-]{0,32}$")


class BadParameter(Exception):
    """A parameter is malformed or out of range; ``message_key`` says which, in French."""

    def __init__(self, message_key: str) -> None:
        super().__init__(message_key)
        self.message_key = message_key


def page_number(query: QueryParams) -> int:
    """Return ``?page=`` (1 when absent), between 1 and ``MAX_PAGE``."""
    raw = query.get("page", "").strip()
    if not raw:
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or not 1 <= int(raw) <= MAX_PAGE:
        raise BadParameter("operator.error.bad_page")
    return int(raw)


def day(query: QueryParams, name: str) -> date | None:
    """Return a date typed as AAAA-MM-JJ, between 2000 and 2100, or None when empty."""
    raw = query.get(name, "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw) if len(raw) == 10 and raw.isascii() else None
    except ValueError:
        value = None
    if value is None or not FIRST_DAY <= value <= LAST_DAY:
        raise BadParameter("operator.error.bad_date")
    return value


def text(query: QueryParams, name: str) -> str:
    """Return a free text parameter, at most ``MAX_TEXT`` characters."""
    raw = query.get(name, "").strip()
    if len(raw) > MAX_TEXT or "\x00" in raw:
        raise BadParameter("operator.error.bad_text")
    return raw


def choice(query: QueryParams, name: str, allowed: Collection[str]) -> str:
    """Return a parameter that must be empty or one of ``allowed``."""
    raw = query.get(name, "").strip()
    if raw and raw not in allowed:
        raise BadParameter("operator.error.bad_filter")
    return raw


def code(query: QueryParams, name: str) -> str:
    """Return a short code (country, rule id): letters, digits, dots, dashes."""
    raw = query.get(name, "").strip()
    if not _CODE.match(raw):
        raise BadParameter("operator.error.bad_filter")
    return raw


def conversation_number(request: Request) -> int:
    """Return the conversation number of the path, between 1 and ``MAX_NUMBER``."""
    number = request.path_params["number"]
    if not isinstance(number, int) or not 1 <= number <= MAX_NUMBER:
        raise BadParameter("operator.error.bad_number")
    return number


def document_id(request: Request) -> str:
    """Return the document id of the path (letters, digits, ``-`` and ``_``)."""
    raw = str(request.path_params["doc_id"])
    if not _DOCUMENT_ID.match(raw):
        raise BadParameter("operator.error.bad_document")
    return raw


def document_page(request: Request, count: int) -> int:
    """Return the page number of the path, between 1 and the document's ``count`` pages."""
    raw = str(request.path_params["page"])
    if not raw.isascii() or not raw.isdigit() or len(raw) > 4 or not 1 <= int(raw) <= count:
        raise BadParameter("operator.error.bad_document_page")
    return int(raw)
