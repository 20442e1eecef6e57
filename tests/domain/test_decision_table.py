"""The README shows the decision table of config/rules.toml as it is (like the flow diagram)."""

from __future__ import annotations

from pathlib import Path

from bot.domain.decision_table import render_table
from bot.domain.eligibility import get_ruleset

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_shows_the_current_decision_table() -> None:
    readme = README.read_text(encoding="utf-8")
    assert render_table() in readme, "run `python -m bot.domain.decision_table`, paste in README"


def test_the_table_has_one_row_per_decision_in_precedence_order() -> None:
    rows = [line for line in render_table().splitlines()[2:]]
    decisions = get_ruleset().decisions
    assert len(rows) == len(decisions)
    assert [row.split(" | ")[2].strip("`") for row in rows] == [d.route for d in decisions]


def test_every_row_rests_on_a_rule_except_the_blocks() -> None:
    for row in get_ruleset().decisions:
        assert (row.rule is None) == (row.route == "not_this_service"), row.key
