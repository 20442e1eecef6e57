"""Where a document comes from, as a file name can say it: ``clinique-bangkok``.

Names sent by users are hostile: only ASCII letters, digits and hyphens come out, bounded in
length, so a name is never a path and always fits. The words come from ``[names]`` of
``config/documents.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.domain.claim import DocumentRef
from bot.domain.config_files import documents_file
from bot.domain.text import clean_free_text, fold

# A name longer than this is not read further (bounded time per input).
_MAX_READ = 200
# A file name as the user sent it, shown in « Mes documents »: its last part, this long at most.
MAX_SHOWN_NAME = 60
_DIGITS = re.compile(r"\d+")


@cache
def _silent_words(category: str | None) -> frozenset[str]:
    """Return the words that tell nothing new in a name: generic ones, the category's own."""
    config = documents_file()
    names = [*config.names.generic,
             *(text for entry in config.category if entry.id == category
               for text in (entry.id, entry.label, entry.label_en))]
    return frozenset(word for name in names for word in fold(name).split())


def slug(text: str, category: str | None = None, limit: int | None = None) -> str:
    """Return the telling words of ``text`` as ``word-word``, ``limit`` characters at most.

    The words of ``category`` are left out: the name already starts with it.
    """
    limit = limit or documents_file().names.source_length
    silent = _silent_words(category)
    # Numbers are counters and dates (« scan3 », « IMG_20201012 »), not where a file is from.
    words = [word for word in _DIGITS.sub(" ", fold(text[:_MAX_READ])).split()
             if len(word) > 1 and word not in silent]
    kept = ""
    for word in words:
        longer = f"{kept}-{word}" if kept else word[:limit]
        if len(longer) > limit:
            break
        kept = longer
    return kept


def sources(parts: Iterable[str], limit: int | None = None) -> str:
    """Join the distinct origins of a file's documents, in order, ``limit`` characters at most."""
    limit = limit or documents_file().names.source_length
    kept: list[str] = []
    for part in dict.fromkeys(part for part in parts if part):
        if len("_".join([*kept, part])) > limit:
            break
        kept.append(part)
    return "_".join(kept)


def document_source(document: DocumentRef, sure: float) -> str:
    """Return where ``document`` comes from: the provider read on it, else its file name.

    ``sure`` is the receipt reader's threshold: a provider on a receipt read less surely is
    as likely a misread heading.
    """
    provider = next((read.provider for read in document.readings
                     if read.provider and read.confidence >= sure), None)
    category = document.category or "autre"
    found = slug(provider, category) if provider else ""
    stem = document.filename.rsplit(".", 1)[0] if "." in document.filename else document.filename
    return found or slug(stem, category)


def shown_name(filename: str) -> str:
    """Return a sent file's name as it may be shown: no folders, no control characters."""
    last = filename[:_MAX_READ].replace("\\", "/").rsplit("/", 1)[-1]
    return clean_free_text(last)[:MAX_SHOWN_NAME]
