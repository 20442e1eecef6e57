"""One conversation: fields, findings, checklist, documents, trace; exports, erasure, audit."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from bot.operator.previews import placeholder_png, preview_png
from bot.storage.stores import open_store
from tests.operator.conftest import audit_rows, csrf_of, receipt_jpeg, rows_of, scan_pdf


def document_ids(html: str) -> list[str]:
    """Return the ids of the documents the page shows."""
    return re.findall(r'id="doc-([0-9a-f]+)"', html)


async def test_page_shows_the_claim_in_the_forms_order(admin):
    page = (await admin.get("/operator/conversations/1")).text
    assert "Demande SE-000001-1" in page
    labels = ["Indiquez votre nationalité", "Indiquez la personne ayant bénéficié",
              "Sélectionnez le pays", "Une hospitalisation a-t-elle été nécessaire"]
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)
    for value in ("NATHALIE", "200,50", "POLOGNE", "Prête à déposer"):
        assert value in page


async def test_page_shows_findings_with_rule_ids_and_the_checklist(admin):
    page = (await admin.get("/operator/conversations/1")).text
    findings = page[page.index('id="findings"'):page.index('id="checklist"')]
    assert "VAL-06" in findings
    checklist = page[page.index('id="checklist"'):]
    assert "Facture" in checklist and "Obligatoire" in checklist
    blocked = (await admin.get("/operator/conversations/3")).text
    assert "Demande arrêtée par la règle LIM-03" in blocked


async def test_transcript_as_bubbles_with_times(admin):
    page = (await admin.get("/operator/conversations/1")).text
    chat = page[page.index('id="transcript"'):page.index('id="trace"')]
    assert chat.count('class="bubble in"') >= 20
    assert chat.count('class="bubble out"') >= 20
    assert "Polska" in chat
    assert re.search(r"<time>\d\d/\d\d/\d{4} \d\d:\d\d</time>", chat)


async def test_trace_reads_like_medialog(admin):
    page = (await admin.get("/operator/conversations/1")).text
    trace = page[page.index('id="trace"'):]
    for header in ("N°", "Date du contact", "Canal", "Sens", "Qualification", "Motif",
                   "Sous-motif"):
        assert f"<th>{header}</th>" in trace
    assert "<td>1 - 1</td>" in trace
    assert "Telegram" in trace and "Entrant" in trace and "Sortant" in trace
    assert "Frais de santé - Démarches" in trace and "Soins à l&#39;étranger" in trace
    assert "Démarches - Étape 3/5 · Modalités du séjour" in trace
    assert "Dépôt d&#39;un justificatif" in trace
    assert "Envoi du dossier prêt à déposer" in trace
    blocked = (await admin.get("/operator/conversations/3")).text
    assert "Notification de blocage (LIM-03)" in blocked


async def test_documents_original_beside_pdf_with_previews_and_downloads(admin, console_store):
    page = (await admin.get("/operator/conversations/1")).text
    first, second = document_ids(page)
    assert "Original : facture.jpg" in page and "Original : ordonnance.pdf" in page
    for doc_id in (first, second):
        for kind in ("original", "pdf"):
            preview = await admin.get(f"/operator/documents/{doc_id}/{kind}/apercu.png")
            assert preview.headers["content-type"] == "image/png"
            assert preview.content != placeholder_png()  # photo or embedded scan: real preview
            assert Image.open(io.BytesIO(preview.content)).width <= 360
    original = await admin.get(f"/operator/documents/{first}/original")
    assert original.content == receipt_jpeg()
    assert original.headers["content-type"] == "image/jpeg"
    assert "attachment" in original.headers["content-disposition"]
    assert "SE-000001-1" in original.headers["content-disposition"]
    pdf = await admin.get(f"/operator/documents/{second}/pdf")
    assert pdf.content.startswith(b"%PDF")
    assert (await admin.get(f"/operator/documents/{first}/other")).status_code == 404
    await admin.aclose()
    downloads = [row for row in await audit_rows(console_store) if row[1].startswith("download")]
    assert [(r[0], r[1], r[2], r[3]) for r in downloads] == [
        ("alice", "download_original", "SE-000001-1", first),
        ("alice", "download_pdf", "SE-000001-1", second)]


async def test_exports_json_and_summary_pdf(admin, console_store):
    exported = await admin.get("/operator/conversations/1/export.json")
    data = json.loads(exported.content)
    assert data["reference"] == "SE-000001-1"
    assert data["status"] == "ready"
    assert any(f["label"].startswith("Sélectionnez le pays") and f["value"] == "POLOGNE"
               for f in data["fields"])
    assert any(f["rule_id"] == "VAL-06" for f in data["findings"])
    assert any(item["category"] == "facture" and item["received"] for item in data["checklist"])
    assert [d["filename"] for d in data["documents"]] == ["facture.jpg", "ordonnance.pdf"]
    assert data["transcript"][0]["direction"] == "in"
    pdf = await admin.get("/operator/conversations/1/recapitulatif.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "NATHALIE" in text
    await admin.aclose()
    actions = [(row[1], row[2]) for row in await audit_rows(console_store)]
    assert ("export_json", "SE-000001-1") in actions
    assert ("export_pdf", "SE-000001-1") in actions


async def test_admin_erases_after_typing_the_reference(admin, console_store):
    form = await admin.get("/operator/conversations/2/effacer")
    assert "SE-000002-1" in form.text
    wrong = await admin.post("/operator/conversations/2/effacer",
                             data={"csrf": csrf_of(form.text), "confirmation": "SE-000001-1"})
    assert wrong.status_code == 400
    assert (await admin.get("/operator/conversations/2")).status_code == 200
    done = await admin.post("/operator/conversations/2/effacer",
                            data={"csrf": csrf_of(form.text), "confirmation": "se-000002-1"})
    assert done.status_code == 303
    listing = await admin.get(done.headers["location"])
    assert "La conversation SE-000002-1 a été effacée." in listing.text
    assert (await admin.get("/operator/conversations/2")).status_code == 404
    await admin.aclose()
    erasures = [row for row in await audit_rows(console_store) if row[1] == "erase"]
    assert erasures == [("alice", "erase", "SE-000002-1", "", "")]
    assert await rows_of(console_store, "SELECT count(*) FROM turns WHERE chat_id = '1002'"
                         ) == [(0,)]
    assert "Paul" not in repr(await rows_of(console_store, "SELECT * FROM audit"))


async def test_audit_page_lists_what_was_done_for_admins(admin):
    await admin.get("/operator/")
    await admin.get("/operator/conversations/4")
    page = await admin.get("/operator/audit")
    assert page.status_code == 200
    for action in ("signin", "view", "list"):
        assert f'data-action="{action}"' in page.text
    assert "SE-000004-1" in page.text


async def test_audit_rows_cannot_be_changed_or_deleted(admin, app, console_store):
    await admin.get("/operator/")
    repository = await open_store(console_store)
    try:
        for statement in ("UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"):
            with pytest.raises(Exception, match="append-only"):
                await repository.database.execute(statement)
    finally:
        await repository.close()
    methods = set()
    for mount in app.routes:
        for route in getattr(mount, "routes", [mount]):
            if "audit" in route.path:
                methods |= route.methods
    assert methods <= {"GET", "HEAD"}


@pytest.mark.parametrize(("data", "real"), [
    (receipt_jpeg(), True), (scan_pdf(), True), (b"%PDF-1.4 broken", False),
    (b"not a document", False),
])
def test_previews(data, real):
    png = preview_png(data)
    assert png.startswith(b"\x89PNG")
    assert (png != placeholder_png()) is real


async def test_erasure_takes_the_username_with_the_chat(admin, console_store):
    form = await admin.get("/operator/conversations/2/effacer")
    await admin.post("/operator/conversations/2/effacer",
                     data={"csrf": csrf_of(form.text), "confirmation": "SE-000002-1"})
    found = await admin.get("/operator/", params={"q": "@paul"})
    assert "0 conversation(s)" in found.text
    await admin.aclose()
    usernames = await rows_of(console_store, "SELECT username FROM conversations")
    assert ("paul_london",) not in usernames and ("Nathalie_K",) in usernames
