"""The transcript as the traveller saw it: buttons' labels, the choice made, the files sent.

A turn stores what the user did as the service describes it (``bot.service._describe``):
``[bouton] <payload>``, ``[modifié] <text>``, ``[document] <name> (<n> octets)``,
``[album] <n> fichiers``. Here a press becomes the label of its button (marked as chosen on
the message that offered it) and a file is tied to the document it became.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from bot.domain.catalog import Catalog, get_catalog
from bot.storage.operator_queries import DocumentInfo, Line
from states.replay import button_label

_PRESS, _EDIT = "[bouton] ", "[modifié] "
_UPLOAD = re.compile(r"^\[document\] (?P<name>.*) \((?P<size>\d+) octets\)$", re.DOTALL)
_ALBUM = re.compile(r"^\[album\] (?P<count>\d+) fichiers$")
# A document is saved in its turn's transaction: a second or so after the turn's instant.
_SAVED_WITHIN_SECONDS = 60
# How far back a press looks for the message whose button it was.
_OFFERED_WITHIN = 50


def _seconds(start: str, end: str) -> float | None:
    try:
        return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    except ValueError:
        return None


def _take(waiting: list[DocumentInfo], at: str, name: str | None = None,
          size: int | None = None) -> DocumentInfo | None:
    """Remove and return the first document saved with the turn of ``at`` (name, size)."""
    for index, doc in enumerate(waiting):
        delay = _seconds(at, doc.received_at)
        if (delay is not None and 0 <= delay <= _SAVED_WITHIN_SECONDS
                and name in (None, doc.filename) and size in (None, doc.original_size)):
            return waiting.pop(index)
    return None


def _mark_chosen(shown: list[Line], label: str) -> None:
    """Mark ``label`` as chosen on the last message that offered it."""
    for index in range(len(shown) - 1, max(-1, len(shown) - 1 - _OFFERED_WITHIN), -1):
        line = shown[index]
        if line.direction == "out" and label in line.buttons:
            shown[index] = replace(line, chosen=label)
            return


def _user_line(line: Line, shown: list[Line], waiting: list[DocumentInfo],
               catalog: Catalog) -> Line:
    said = line.text
    if said.startswith(_PRESS):
        label = button_label(said.removeprefix(_PRESS), catalog)
        _mark_chosen(shown, label)
        return replace(line, text=label, chosen=label)
    if said.startswith(_EDIT):
        return replace(line, text=said.removeprefix(_EDIT),
                       note=get_catalog("fr").text("operator.transcript.edited"))
    if found := _UPLOAD.match(said):
        name = found["name"]
        doc = _take(waiting, line.at, name, int(found["size"]))
        return replace(line, text="", files=(name,), document=doc.id if doc else "")
    if found := _ALBUM.match(said):
        doc = _take(waiting, line.at)
        note = get_catalog("fr").text("operator.transcript.album", count=int(found["count"]))
        return replace(line, text="", note=note, files=(doc.filename,) if doc else (),
                       document=doc.id if doc else "")
    return line


def shown_transcript(lines: list[Line], documents: list[DocumentInfo],
                     language: str) -> list[Line]:
    """Return ``lines`` as the user saw them, in the conversation's ``language``.

    ``documents`` are the chat's, in arrival order: each file sent is tied to its own.
    """
    catalog = get_catalog(language if language in ("fr", "en") else "fr")
    waiting = list(documents)
    shown: list[Line] = []
    for line in lines:
        shown.append(line if line.direction != "in"
                     else _user_line(line, shown, waiting, catalog))
    return shown
