"""Every RULES.md id is applied or explained; texts exist alike in French and English."""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.domain.catalog import CONFIG_DIR, load_toml
from bot.domain.eligibility import CHECKS, get_ruleset
from bot.domain.ruleset import RuleSet

RULES_MD = Path(__file__).resolve().parents[2].parent / "shared/domain/RULES.md"
_RULE_ID = re.compile(r"^([A-Z]{2,3}-\d{2})\b", re.MULTILINE)


def _rules_md_ids() -> list[str]:
    if not RULES_MD.is_file():
        pytest.skip(f"{RULES_MD} is absent")
    return sorted(set(_RULE_ID.findall(RULES_MD.read_text(encoding="utf-8"))))


def test_every_rules_md_id_is_applied_or_explained() -> None:
    ruleset = get_ruleset()
    known = ruleset.rule_ids() | set(ruleset.not_applicable) | set(ruleset.disagreements)
    missing = [rule_id for rule_id in _rules_md_ids() if rule_id not in known]
    assert missing == []


def test_no_id_outside_rules_md() -> None:
    ruleset = get_ruleset()
    ours = ruleset.rule_ids() | set(ruleset.not_applicable) | set(ruleset.disagreements)
    assert ours - set(_rules_md_ids()) == set()


def test_every_disagreement_is_listed_with_its_resolution() -> None:
    disagreements = get_ruleset().disagreements
    assert {i for i in _rules_md_ids() if i.startswith("DIS-")} == set(disagreements)
    assert all(reason.strip() for reason in disagreements.values())


def _flat(prefix: str, table: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        out.update(_flat(full, value) if isinstance(value, Mapping) else {full: str(value)})
    return out


def _messages(language: str) -> dict[str, str]:
    with (CONFIG_DIR / "messages" / f"rules.{language}.toml").open("rb") as handle:
        return _flat("", tomllib.load(handle))


def test_french_and_english_have_the_same_keys() -> None:
    french, english = _messages("fr"), _messages("en")
    assert set(french) == set(english)
    assert {key.split(".")[0] for key in french} == {"rules", "checklist", "pack"}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_french_and_english_have_the_same_placeholders() -> None:
    french, english = _messages("fr"), _messages("en")
    assert {k: _placeholders(v) for k, v in french.items()} == {
        k: _placeholders(v) for k, v in english.items()}


def test_every_message_is_used() -> None:
    # rules.* keys the rule set does not need would be dead text.
    ruleset = get_ruleset()
    needed = ruleset.text_keys() | ruleset.optional_text_keys()
    unused = {k for k in _messages("fr") if k.startswith("rules.")} - needed
    assert unused == set()


def _broken(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = load_toml("rules.toml")
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("rule", 2, "when"), {"regim": "msa"}),  # unknown field
        (("rule", 2, "when"), {"regime": "mutuelle"}),  # unknown choice id
        (("rule", 2, "when"), {"country": "XX"}),  # unknown country code
        (("rule", 2, "when"), {"zone": "europe"}),  # unknown zone
        (("rule", 2, "when"), {"stay_start": "2025-01-01"}),  # dates: only "*"
        (("rule", 0, "check"), "two_claims"),  # unknown predicate
        (("rule", 2, "key"), "LIM-01"),  # duplicate key
        (("rule", 2, "key"), "LIM-99"),  # no text for this key
        (("document", 0, "category"), "ordonnance"),  # not in documents.toml
        (("decision", 0, "route"), "elsewhere"),  # not a route id
        (("decision", 1, "source"), "[001] étape 3"),  # a source in words the user would see
        (("routes", "zone", "statements"), {"refund_basis": "free"}),  # unknown statement
        (("rule", 2, "routes"), ["zone", "elsewhere"]),  # a finding of an unknown route
        (("not_applicable", "LIM-03"), "applied and excused at once"),
    ],
    ids=["field", "choice", "country", "zone", "date-value", "check", "duplicate", "text",
         "category", "route", "source", "statement", "finding-route", "not-applicable"],
)
def test_a_broken_rule_file_fails_at_start_up(path: tuple[str | int, ...], value: Any) -> None:
    with pytest.raises(ValidationError):
        RuleSet.model_validate(_broken(path, value), context={"checks": set(CHECKS)})
