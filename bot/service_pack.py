"""The pack sent once a claim is ready: recap, checklist, next steps, summary PDF and files."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot import documents
from bot.domain.checklist import build_checklist, render_checklist
from bot.domain.io import Attachment, Reply
from bot.domain.pack import build_summary_pdf, render_next_steps
from bot.domain.parsing import format_date
from bot.receipts.summary import render_receipts
from bot.storage.repository import StoredDocument
from states.flow import ClaimFlow
from states.recap import render_recap


async def build_pack(
    flow: ClaimFlow, stored: Sequence[StoredDocument], *, files_only: bool = False
) -> list[Reply]:
    """Return the replies of the pack, with the compliant PDFs attached.

    ``files_only`` keeps just the message carrying the files (a pack sent again).
    """
    draft = flow.draft
    language = flow.snapshot.language
    pdfs = {doc.id: doc.pdf for doc in stored}
    items = [(ref.category or "autre", pdfs[ref.id]) for ref in draft.documents if ref.id in pdfs]
    plan = await asyncio.to_thread(documents.plan_files, items)
    reference = flow.catalog.text("claims.reference", reference=flow.reference())
    recap = render_recap(draft, language, [f.name for f in plan.files], reference=reference)
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
    files_reply = Reply(flow.catalog.text("final.files", count=len(plan.files)),
                        attachments=files)
    if files_only or plan.fits or not plan.message:
        return [files_reply]
    return [files_reply, Reply(plan.message)]
