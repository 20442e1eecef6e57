"""Replies as JSON, whole (texts, buttons, files), for the outbox that delivers them later.

Unlike the transcript (catalog keys and payloads, ``bot.service_record``), an outbox entry
must show exactly what the turn said, files included, after a restart or in another worker.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

from bot.domain.io import Attachment, Button, Live, Reply


def replies_to_json(replies: Sequence[Reply]) -> str:
    """Write ``replies`` as JSON (files in base64)."""
    return json.dumps([_reply(reply) for reply in replies], ensure_ascii=False)


def replies_from_json(text: str) -> list[Reply]:
    """Read back what ``replies_to_json`` wrote."""
    return [
        Reply(
            text=item["text"],
            buttons=tuple(Button(b["payload"], b["label"], b.get("copy"))
                          for b in item.get("buttons", ())),
            attachments=tuple(Attachment(a["filename"], base64.b64decode(a["data"]),
                                         a["mime"]) for a in item.get("files", ())),
            live=Live(item["live"].get("edit")) if "live" in item else None,
            erased=bool(item.get("erased", False)),
            person=bool(item.get("person", False)),
        )
        for item in json.loads(text)
    ]


def _reply(reply: Reply) -> dict[str, Any]:
    item: dict[str, Any] = {"text": reply.text}
    if reply.buttons:
        item["buttons"] = [{"payload": b.payload, "label": b.label, "copy": b.copy}
                           for b in reply.buttons]
    if reply.attachments:
        item["files"] = [{"filename": a.filename, "mime": a.mime,
                          "data": base64.b64encode(a.data).decode()} for a in reply.attachments]
    if reply.live is not None:
        item["live"] = {"edit": reply.live.edit}
    if reply.erased:
        item["erased"] = True
    if reply.person:
        item["person"] = True
    return item
