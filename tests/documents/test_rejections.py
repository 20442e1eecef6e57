"""Bad input: each refused with DocumentRejected, a stable code and a French message (FIL-02)."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from bot.documents import MAX_UPLOAD_BYTES, DocumentRejected, convert, convert_many
from tests.documents.conftest import encode, receipt


def _zip(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, "<w:document/>")
    return out.getvalue()


def _bomb() -> bytes:
    # A 1-bit PNG of 80 MP weighs a few kB; decoding it would take 80 MB or more.
    return encode(Image.new("1", (10_000, 8_000)), "PNG")


def _truncated_jpeg() -> bytes:
    data = encode(receipt(), "JPEG", quality=90)
    return data[: len(data) // 2]


CASES = [
    pytest.param(b"", "empty", "vide", id="zero-byte"),
    pytest.param(_truncated_jpeg(), "corrupt", "illisible", id="truncated-jpeg"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "corrupt", "illisible", id="corrupt-png"),
    pytest.param(_bomb(), "bomb", "trop grande", id="decompression-bomb"),
    pytest.param(encode(Image.new("RGB", (1, 1)), "PNG"), "too_small", "trop petite", id="1x1"),
    pytest.param(
        encode(Image.new("RGB", (60, 40)), "JPEG"), "too_small", "trop petite", id="tiny"
    ),
    pytest.param(_zip("word/document.xml"), "unsupported", "PDF", id="docx"),
    pytest.param(_zip("photos.txt"), "unsupported", "JPG", id="zip"),
    pytest.param(b"hello, this is text", "unsupported", "PNG", id="text"),
]


@pytest.mark.parametrize(("data", "code", "words"), CASES)
def test_bad_input_is_rejected_with_french_message(data: bytes, code: str, words: str) -> None:
    with pytest.raises(DocumentRejected) as caught:
        convert(data, filename="recu.jpg")
    assert caught.value.code == code
    assert words in caught.value.message
    assert str(caught.value) == caught.value.message


def test_file_over_20_mb_is_rejected_before_decoding() -> None:
    data = b"\xff\xd8\xff" + b"\x00" * MAX_UPLOAD_BYTES
    with pytest.raises(DocumentRejected) as caught:
        convert(data)
    assert caught.value.code == "too_large"
    assert "20 Mo" in caught.value.message


def test_messages_exist_in_english_too() -> None:
    with pytest.raises(DocumentRejected) as caught:
        convert(b"")
    assert "empty" in caught.value.text("en")


def test_one_bad_item_rejects_the_album() -> None:
    with pytest.raises(DocumentRejected) as caught:
        convert_many([encode(receipt(), "PNG"), b""])
    assert caught.value.code == "empty"


def test_empty_album_is_rejected() -> None:
    with pytest.raises(DocumentRejected) as caught:
        convert_many([])
    assert caught.value.code == "no_input"
