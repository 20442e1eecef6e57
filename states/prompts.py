"""Build the message shown for each state: step header, question, buttons."""

from __future__ import annotations

from bot.domain.catalog import Catalog, get_catalog
from bot.domain.categories import category_ids, category_label
from bot.domain.choices import choice_list
from bot.domain.io import Button, Reply
from bot.domain.phrases import join
from states import payloads
from states.conditions import applies
from states.machine import QUESTIONS, SEQUENCE, step_of
from states.questions import Kind, Question
from states.snapshot import FlowSnapshot
from states.values import show_value


def nav(catalog: Catalog, action: str) -> Button:
    """Return a command or screen button (``nav:<action>``), labelled ``button.<action>``."""
    return Button(payloads.nav(action), catalog.text(f"button.{action}"))


def header(snapshot: FlowSnapshot, catalog: Catalog) -> str:
    """Return « Étape k/5 · title » for the current state, or nothing outside the steps."""
    step = step_of(snapshot.state)
    if step is None:
        return ""
    return catalog.text("step.header", number=step.number, title=catalog.text(step.title_key))


def answer_buttons(question: Question, snapshot: FlowSnapshot) -> tuple[Button, ...]:
    """Return the buttons of a question: its list, a suggestion, and « Retour »."""
    catalog = get_catalog(snapshot.language)
    buttons: list[Button] = []
    if question.kind is Kind.CHOICE and question.choices:
        buttons += [
            Button(payloads.answer(question.id, choice.id), choice.label_for(snapshot.language))
            for choice in choice_list(question.choices).choices
        ]
    if question.kind is Kind.AMOUNT:  # the receipts' total instead of typing it (issue 12)
        buttons.append(Button(payloads.build(payloads.Kind.RECEIPTS, "read"),
                              catalog.text("button.read_receipts")))
    if snapshot.suggestion:
        buttons.append(Button(payloads.build(payloads.Kind.SUGGESTION, question.id),
                              catalog.text("button.use_suggestion")))
    if SEQUENCE.index(question.id) > 1:
        buttons.append(nav(catalog, "back"))
    return tuple(buttons)


def question_reply(snapshot: FlowSnapshot, question: Question, lead: str = "") -> Reply:
    """Return the message asking ``question``, with the earlier answer if there is one."""
    catalog = get_catalog(snapshot.language)
    parts = [lead, header(snapshot, catalog), catalog.text(question.prompt_key)]
    current = snapshot.draft.value(question.field)
    if current is not None:
        shown = show_value(question, current, snapshot.language)
        parts.append(catalog.text("question.current_answer", value=shown))
    return Reply(join("\n\n", parts), answer_buttons(question, snapshot))


def category_buttons(doc_id: str, expected: list[str], language: str) -> tuple[Button, ...]:
    """Return one button per category, the expected (missing) ones first."""
    ordered = [c for c in expected if c in category_ids()]
    ordered += [c for c in category_ids() if c not in ordered]
    return tuple(Button(payloads.build(payloads.Kind.CATEGORY, doc_id, c),
                        category_label(c, language)) for c in ordered)


def edit_step_buttons(snapshot: FlowSnapshot) -> tuple[Button, ...]:
    """Return the buttons choosing which step of the recap to change."""
    catalog = get_catalog(snapshot.language)
    steps = [Button(payloads.build(payloads.Kind.EDIT, "step", str(n)),
                    catalog.text(f"button.edit_step_{n}")) for n in (1, 2, 3, 4)]
    return (*steps, nav(catalog, "summary"))


def edit_field_buttons(snapshot: FlowSnapshot, step_id: str) -> tuple[Button, ...]:
    """Return one button per question of a step that applies to this claim."""
    catalog = get_catalog(snapshot.language)
    fields = [
        Button(payloads.build(payloads.Kind.EDIT, "q", q.id),
               catalog.text(f"question.{q.id}.short"))
        for q in QUESTIONS.values()
        if q.id.startswith(f"{step_id}.") and applies(q.when, snapshot.draft)
    ]
    return (*fields, nav(catalog, "summary"))
