"""Content type of an upload, from its magic bytes, never from its name (FIL-02)."""

from __future__ import annotations

from bot.documents.errors import DocumentRejected

# Kinds we turn into pages; the others are named so the message can say what was sent.
IMAGE_KINDS = frozenset({"jpeg", "png", "heif", "webp", "gif", "tiff", "bmp"})
_HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
)


def sniff(data: bytes) -> str:
    """Return the kind of ``data`` ("jpeg", "pdf"…) or "unknown"."""
    head = data[:32]
    kind = "unknown"
    if head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "webp"
    elif head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        kind = "heif"
    elif head.startswith((b"GIF87a", b"GIF89a")):
        kind = "gif"
    elif head.startswith((b"II*\x00", b"MM\x00*")):
        kind = "tiff"
    elif head.startswith(b"BM"):
        kind = "bmp"
    elif b"%PDF-" in data[:1024]:
        # The PDF header may legally follow up to 1 KB of junk.
        kind = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        kind = "zip"  # also .docx, .xlsx, .odt
    return kind


def require_supported(data: bytes) -> str:
    """Return the kind of ``data`` or raise DocumentRejected for an unsupported type."""
    kind = sniff(data)
    if kind != "pdf" and kind not in IMAGE_KINDS:
        raise DocumentRejected("unsupported")
    return kind
