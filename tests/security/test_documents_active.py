"""Issue 18, point 4: no PDF leaves the pipeline with active content, and the user is told."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from bot.documents import convert, convert_many
from bot.documents.active import has_active_content
from bot.domain.catalog import get_catalog
from tests.documents.conftest import assert_compliant, encode, receipt

_MARKERS = (b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"/Launch", b"/URI",
            b"/EmbeddedFile", b"/XFA")


def _action(kind: str, **entries: str) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def hostile_pdf(width: float = 595, height: float = 842) -> bytes:
    """A PDF with every kind of active content: scripts, automatic actions, links, a file."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=width, height=height)
    script = writer._add_object(_action("/JavaScript", JS="app.alert('pwned');"))
    writer.root_object[NameObject("/Names")] = DictionaryObject({
        NameObject("/JavaScript"): DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("init"), script])}
        )
    })
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(
        _action("/JavaScript", JS="this.submitForm('http://127.0.0.1/steal')")
    )
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action("/Launch", F="cmd.exe")}
    )
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 100, 100)]),
        NameObject("/A"): _action("/URI", URI="http://127.0.0.1/track"),
    })
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    writer.add_attachment("payload.exe", b"MZ not really")
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/XFA"): TextStringObject("<xdp/>"), NameObject("/Fields"): ArrayObject()}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _inert(pdf: bytes) -> bool:
    return not has_active_content(PdfReader(io.BytesIO(pdf)).trailer)


def test_the_hostile_pdf_is_seen_as_active() -> None:
    data = hostile_pdf()
    assert not _inert(data)
    assert all(marker in data for marker in (b"/OpenAction", b"/JavaScript", b"/URI"))


@pytest.mark.parametrize("size", [(595, 842), (612, 792)], ids=["already-a4", "letter"])
def test_active_content_is_removed_even_from_a_compliant_pdf(size: tuple[int, int]) -> None:
    doc = convert(hostile_pdf(*size))
    assert_compliant(doc.pdf)
    assert _inert(doc.pdf)
    for marker in _MARKERS:
        assert marker not in doc.pdf, marker
    removed = get_catalog("fr").text("documents.notice.active_removed")
    assert removed in doc.notices


def test_active_content_is_removed_inside_an_album() -> None:
    doc = convert_many([hostile_pdf(), encode(receipt(), "PNG")])
    assert _inert(doc.pdf)
    assert doc.page_count == 2


def test_an_inert_compliant_pdf_is_still_kept_as_it_is() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    doc = convert(out.getvalue())
    assert doc.pdf == out.getvalue()
    assert doc.notices == ()
