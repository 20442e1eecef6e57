"""Compress a turn's replies with a preset dictionary, kept beside them in the database.

A reply is mostly catalog keys and button payloads that recur in every conversation; zlib
primed with those strings stores a turn's replies in a fraction of their JSON. Each
dictionary is saved once (``reply_codecs``) and each turn row names the one it was packed
with, so a release that changes the texts can still read every older row.
"""

from __future__ import annotations

import hashlib
import zlib

MAX_DICTIONARY = 32 * 1024
"""zlib looks back 32 KiB: a longer dictionary would only be cut."""


def digest(dictionary: bytes) -> str:
    """Name a dictionary by its content."""
    return hashlib.sha256(dictionary).hexdigest()[:32]


def pack(text: str, dictionary: bytes) -> bytes:
    """Compress ``text`` with ``dictionary``."""
    packer = zlib.compressobj(9, zdict=dictionary) if dictionary else zlib.compressobj(9)
    return packer.compress(text.encode()) + packer.flush()


def unpack(blob: bytes, dictionary: bytes) -> str:
    """Read back what ``pack`` wrote with the same dictionary."""
    unpacker = zlib.decompressobj(zdict=dictionary) if dictionary else zlib.decompressobj()
    return (unpacker.decompress(blob) + unpacker.flush()).decode()


def unpacked(codec_id: int | None, replies: bytes | str | None,
             dictionaries: dict[int, bytes]) -> str:
    """Read a stored turn's replies: packed with dictionary ``codec_id``, or plain JSON."""
    if replies is None:
        return "[]"
    blob = replies.encode() if isinstance(replies, str) else bytes(replies)
    return unpack(blob, dictionaries[codec_id]) if codec_id is not None else blob.decode()
