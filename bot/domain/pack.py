"""The end-of-claim pack: next steps as text and a one-file A4 summary PDF.

Pure functions: the recap (« Récapitulatif ») comes from ``bot.domain.summary`` as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain.catalog import Catalog, get_catalog
from bot.domain.claim import ClaimDraft
from bot.domain.eligibility import ROUTE_KEY, Evaluation, Level, PastClaim, next_claim_date
from bot.domain.limits import MAX_PDF_BYTES
from bot.domain.parsing import format_date

if TYPE_CHECKING:
    from fpdf import FPDF

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_MARGIN = 48.0  # points
_LINE = 13.0  # points, for a 10 pt font
# Emoji the PDF font lacks: the checklist's ✅ / ⬜ become ballot boxes of DejaVu Sans.
_UNICODE_FALLBACKS = {"✅": "☑", "⬜": "☐"}
# Without DejaVu, fpdf2's core fonts are latin-1 only: keep the meaning in plain ASCII.
_LATIN1_FALLBACKS = {"✅": "[x]", "⬜": "[ ]", "☑": "[x]", "☐": "[ ]", "→": "->", "…": "...",
                     "’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "≤": "<=",
                     "≥": ">=", "•": "-", "€": "EUR", "œ": "oe", "Œ": "OE", "\u202f": " "}


def _bullets(catalog: Catalog, texts: Sequence[str]) -> list[str]:
    return [catalog.text("pack.bullet", text=text) for text in texts]


def render_next_steps(
    draft: ClaimDraft,
    evaluation: Evaluation,
    language: str = "fr",
    *,
    today: date | None = None,
    history: Sequence[PastClaim] = (),
) -> str:
    """Tell where to file, the limits, what happens after sending and the legal notice.

    With ``today``, the date of the next allowed claim counts this one as sent today
    (LIM-01), so a family can plan the third child's claim (LIM-02, scenario 17).
    """
    catalog = get_catalog(language)

    def rule(key: str) -> str:
        return catalog.text(f"rules.{key}.text")

    lines = [catalog.text("pack.title")]
    if blocking := evaluation.blocking():
        lines.append(catalog.text("pack.blocked"))
        lines += _bullets(catalog, [f.text for f in blocking])
        lines.append(rule("AFT-04"))
        return "\n".join(lines)
    # One route, decided once; what to do now, when there is something to do.
    lines.append(catalog.text("pack.route", route=evaluation.route_text))
    if evaluation.route_now:
        lines.append(catalog.text("pack.now", now=evaluation.route_now))
    said = [f for f in evaluation.findings if not f.key.startswith(ROUTE_KEY)]
    if warnings := [f.text for f in said if f.level is Level.WARN]:
        lines.append(catalog.text("pack.warnings"))
        lines += _bullets(catalog, warnings)
    # Advice tied to the answers (DOC-08, EU-02, EU-04, EU-06…), as said during the chat.
    # LIM-02 is said below with the limits.
    if advice := [f.text for f in said
                  if f.level is Level.INFO and f.field and f.rule_id != "LIM-02"]:
        lines.append(catalog.text("pack.good_to_know"))
        lines += _bullets(catalog, advice)
    lines.append(catalog.text("pack.where", path=rule("FRM-00")))  # FRM-00
    lines.append(catalog.text("pack.limits", two_claims=catalog.text("pack.two_claims"),
                              one_beneficiary=rule("LIM-02")))
    if today is not None:
        sent = [*history, PastClaim(today, draft.beneficiary_name)]
        allowed_from = next_claim_date(today, sent)
        if allowed_from is not None:
            lines.append(catalog.text("pack.next_claim", date=format_date(allowed_from)))
    lines.append(catalog.text("pack.after"))
    lines += _bullets(catalog, [rule(key) for key in ("AFT-01", "AFT-02", "AFT-03")])
    lines.append(rule("AFT-04"))
    lines.append(rule("CRT-03"))  # shown verbatim, as on the form's last step
    return "\n".join(lines)


def _to_font(text: str, unicode_font: bool) -> str:
    table = _UNICODE_FALLBACKS if unicode_font else _LATIN1_FALLBACKS
    text = "".join(table.get(ch, ch) for ch in text)
    if unicode_font:
        return text
    return text.encode("latin-1", errors="replace").decode("latin-1")


def _paragraph(pdf: FPDF, height: float, text: str) -> None:
    from fpdf.enums import XPos, YPos

    pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def build_summary_pdf(
    recap_text: str, checklist_text: str, next_steps: str, language: str = "fr"
) -> bytes:
    """Lay out the recap, checklist and next steps on A4 portrait pages (FIL-03, FIL-04)."""
    catalog = get_catalog(language)
    # fpdf takes longer to import than the bot to start: only a finished claim needs it.
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="pt", format="A4")  # 595.28 × 841.89 pt
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=_MARGIN)
    unicode_font = DEJAVU.is_file()
    family = "DejaVu" if unicode_font else "Helvetica"
    if unicode_font:
        pdf.add_font(family, fname=str(DEJAVU))
    title = catalog.text("pack.pdf.title")
    pdf.set_title(_to_font(title, unicode_font))
    pdf.add_page()
    pdf.set_font(family, size=15)
    _paragraph(pdf, 20, _to_font(title, unicode_font))
    sections = (("pack.pdf.recap", recap_text), ("pack.pdf.checklist", checklist_text),
                ("pack.pdf.next_steps", next_steps))
    for heading, body in sections:
        pdf.ln(8)
        heading_text = catalog.text(heading)
        first, _, rest = body.partition("\n")
        if first.strip() == heading_text:  # the body's own title would repeat the heading
            body = rest
        pdf.set_font(family, size=12)
        _paragraph(pdf, 16, _to_font(heading_text, unicode_font))
        pdf.set_font(family, size=10)
        _paragraph(pdf, _LINE, _to_font(body, unicode_font))
    pdf.ln(10)
    pdf.set_font(family, size=8)
    _paragraph(pdf, 10, _to_font(catalog.text("pack.pdf.footer"), unicode_font))
    data = bytes(pdf.output())
    if len(data) > MAX_PDF_BYTES:  # text-only pages stay far below; never send a rejected file
        raise ValueError(f"summary PDF is {len(data)} bytes, above {MAX_PDF_BYTES}")
    return data
