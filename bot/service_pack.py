"""The pack sent once a claim is ready: recap, checklist, next steps, summary PDF and files."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from bot import documents
from bot.domain.checklist import build_checklist, render_checklist
from bot.domain.claim import ClaimDraft
from bot.domain.filenames import document_source
from bot.domain.io import Attachment, Reply
from bot.domain.pack import build_summary_pdf, render_next_steps
from bot.domain.parsing import format_date
from bot.receipts import receipts_config
from bot.receipts.summary import render_receipts
from bot.storage.repository import StoredDocument
from states.flow import ClaimFlow
from states.recap import render_recap
from states.snapshot import PlannedFile


async def plan_claim(draft: ClaimDraft, pdfs: Mapping[str, bytes]) -> documents.FilePlan:
    """Plan the files the claim's documents make, named by category and origin (off the loop)."""
    sure = receipts_config().reader.threshold
    items = [documents.PlanItem(ref.category or "autre", pdfs[ref.id], document_source(ref, sure))
             for ref in draft.documents if ref.id in pdfs]
    return await asyncio.to_thread(documents.plan_files, items)


def planned_files(plan: documents.FilePlan) -> list[PlannedFile]:
    """Return the plan's files as the conversation tells of them (names, merges, pages)."""
    return [PlannedFile(name=file.name, category=file.category, documents=file.documents,
                        pages=file.page_count) for file in plan.files]


async def build_pack(
    flow: ClaimFlow, stored: Sequence[StoredDocument], *, files_only: bool = False
) -> list[Reply]:
    """Return the replies of the pack, with the compliant PDFs attached.

    ``files_only`` keeps just the message carrying the files (a pack sent again).
    """
    draft = flow.draft
    language = flow.snapshot.language
    plan = await plan_claim(draft, {doc.id: doc.pdf for doc in stored})
    files_made = planned_files(plan)
    reference = flow.catalog.text("claims.reference", reference=flow.reference())
    recap = render_recap(draft, language, files_made, reference=reference)
    evaluation = flow.evaluation()
    checklist = render_checklist(build_checklist(draft, evaluation), language)
    next_steps = render_next_steps(draft, evaluation, language, today=flow.today,
                                   history=flow.history)
    # The PDF has its own « Récapitulatif » heading: drop the chat's title line. It records
    # that the user ticked both boxes, and when.
    recap_body = recap.split("\n", 1)[1].lstrip() if "\n" in recap else recap
    ticked = flow.snapshot.ready_on or flow.today
    recap_body += "\n\n" + flow.catalog.text("certify.record", date=format_date(ticked))
    receipts = render_receipts(draft, flow.catalog)  # how the euros were made (issue 12)
    if receipts:
        recap_body += "\n\n" + receipts
    summary_pdf = await asyncio.to_thread(build_summary_pdf, recap_body, checklist, next_steps,
                                          language)
    files = (Attachment(flow.catalog.text("final.summary_file"), summary_pdf),
             *(Attachment(f.name, f.pdf) for f in plan.files))
    received = sum(file.documents for file in files_made)
    said = "final.files" if received == len(files_made) else "final.files_merged"
    files_reply = Reply(flow.catalog.text(said, count=len(files_made), received=received),
                        attachments=files)
    if files_only or plan.fits or not plan.message:
        return [files_reply]
    return [files_reply, Reply(plan.message)]
