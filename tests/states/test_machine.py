"""The machine built from the steps: reachable states, a way back, texts for every question."""

from __future__ import annotations

from bot.domain.catalog import get_catalog
from bot.domain.choices import choice_list
from states.machine import MACHINE, QUESTIONS, SEQUENCE, STATES, STEPS, move
from states.questions import Kind


class Everything:
    """Guards that let every state through: the widest graph."""

    def should_visit(self, state: str) -> bool:
        return True

    def can_return_to(self, state: str) -> bool:
        return True


def test_every_state_is_reachable_from_the_welcome():
    seen = {"welcome"}
    state = "welcome"
    while (state := move(state, "next", Everything()) or state) not in seen:
        seen.add(state)
    seen.add(move(state, "finish", Everything()) or state)
    assert set(SEQUENCE) <= seen
    assert {move("stay.country", "block", Everything()),
            move("stay.country", "cancel", Everything())} == {"blocked", "cancelled"}


def test_named_triggers_go_only_where_they_are_declared():
    assert move("summary", "next", Everything()) is None  # only ``finish`` ends it
    assert move("summary", "finish", Everything()) == "done"
    assert move("documents", "finish", Everything()) is None
    assert move("welcome", "cancel", Everything()) is None
    assert move("done", "block", Everything()) is None
    assert move("summary", "edit", Everything(), chosen="care.amount") == "care.amount"
    assert move("summary", "edit", Everything(), chosen="done") is None


def test_only_the_machine_assigns_a_state():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writes = [f"{path}:{number}" for path in [*root.glob("states/*.py"), *root.glob("bot/**/*.py")]
              if path.name != "machine.py"
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if re.search(r"\.state\s*=[^=]", line)]
    assert writes == []


def test_every_question_and_step_state_has_a_way_back():
    for state in SEQUENCE[2:-1]:
        assert move(state, "back", Everything()) is not None, state


def test_the_machine_is_built_once_with_every_state():
    assert set(MACHINE.states) == set(STATES)
    assert [step.number for step in STEPS] == [1, 2, 3, 4, 5]


def test_every_question_has_texts_in_both_languages():
    for language in ("fr", "en"):
        catalog = get_catalog(language)
        for question in QUESTIONS.values():
            for key in (question.prompt_key, question.label_key, f"question.{question.id}.short"):
                assert catalog.has(key), (language, key)


def test_every_choice_question_names_a_list_and_fits_telegram_callback_data():
    for question in QUESTIONS.values():
        if question.kind is Kind.CHOICE:
            assert question.choices is not None
            for choice in choice_list(question.choices).choices:
                assert len(f"a:{question.id}:{choice.id}".encode()) <= 64


def test_readme_shows_the_current_flow():
    from pathlib import Path

    from states.diagram import render_mermaid

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert render_mermaid() in readme, "run `python -m states.diagram` and paste it in README"
