"""Rules as data: the typed form of ``config/rules.toml``, validated once at start-up.

A rule that names an unknown field, choice, country, check, category or text fails loading,
so a typo in the TOML stops the bot before any user sees a wrong answer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import cache
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationInfo, model_validator

from bot.domain.catalog import get_catalog, load_toml
from bot.domain.categories import category_ids
from bot.domain.choices import choice_list
from bot.domain.claim import ClaimDraft
from bot.domain.countries import Zone, known_codes

RuleLevel = Literal["BLOCK", "WARN", "INFO"]
RouteId = Literal["not_this_service", "uncertain_territory", "detached", "scheduled_authorised",
                  "directive", "scheduled_unauthorised", "uk_unforeseen", "zone", "com",
                  "convention", "outside_flat_rate"]
UNKNOWN = "unknown"  # not a route: the answers so far leave more than one possible
# What a route, a finding or a document says; two different values of one key disagree.
Statements = dict[Literal["refund_basis", "authorisation", "identity_document"], Literal[
    "local_or_french_tariff", "flat_rate", "actual_costs", "french_conditions", "as_authorised",
    "refusal_likely", "uncertain", "required", "recommended", "not_required"]]
LANGUAGES = ("fr", "en")
ANSWERED = "*"
RULE_ID_PATTERN = r"^[A-Z]{2,3}-\d{2}$"
ZONE = "zone"  # derived fact: the zone of `country`
BLOCKED = "blocked"  # derived fact: « oui » when a BLOCK rule applies (decision table only)
FORM_ORDER = tuple(ClaimDraft.model_fields)  # the draft declares its fields in form order
# "[KEY]" or "[KEY] articles", joined by " ; " (keys of RULES.md section 0).
_ONE_SOURCE = r"\[[A-Z0-9-]+\]( [A-Z]?[0-9][0-9A-Za-z§, -]*)?"
SOURCE_PATTERN = rf"^{_ONE_SOURCE}( ; {_ONE_SOURCE})*$"
_SOURCE_PART = re.compile(r"\[([A-Z0-9-]+)\] ?([^;]*)")


def source_parts(source: str) -> list[tuple[str, str]]:
    """Return the (key, articles) pairs of a `source` field."""
    return [(key, articles.strip()) for key, articles in _SOURCE_PART.findall(source)]


class Condition(RootModel[dict[str, str | list[str]]]):
    """A `when` table: every field answered and equal to (one of) the given ids."""

    root: dict[str, str | list[str]] = Field(default_factory=dict)

    def fields(self) -> tuple[str, ...]:
        """Return the fields the condition reads."""
        return tuple(self.root)

    def matches(self, facts: Mapping[str, str | None]) -> bool:
        """Tell whether the answers so far satisfy the condition."""
        for name, expected in self.root.items():
            value = facts.get(name)
            if value is None:
                return False  # not answered yet: say nothing about it
            if expected != ANSWERED and value not in _as_list(expected):
                return False
        return True

    def may_match(self, facts: Mapping[str, str | None]) -> bool:
        """Tell whether some answers to the fields still missing would satisfy it."""
        return all(facts.get(name) is None or expected == ANSWERED
                   or facts.get(name) in _as_list(expected)
                   for name, expected in self.root.items())


def _as_list(expected: str | list[str]) -> list[str]:
    return [expected] if isinstance(expected, str) else expected


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Frozen):
    """One RULES.md rule: a finding when `when` or `check` applies, else reference text.

    ``routes`` are the routes the finding belongs to (empty: every route); ``statements``
    what it says about the refund, the authorisation or the identity documents.
    """

    id: str = Field(pattern=RULE_ID_PATTERN)
    key: str = ""
    level: RuleLevel
    source: str = Field(pattern=SOURCE_PATTERN)
    when: Condition | None = None
    check: str | None = None
    field: str | None = None
    covers: tuple[str, ...] = ()
    routes: tuple[RouteId, ...] = ()
    statements: Statements = Field(default_factory=dict)
    basis: str = ""  # for readers of the data and the README: what an inference rests on

    @model_validator(mode="after")
    def _default_key(self) -> Rule:
        if not self.key:
            object.__setattr__(self, "key", self.id)
        return self

    @property
    def evaluated(self) -> bool:
        """Tell whether the rule can raise a finding (else it is reference text)."""
        return self.when is not None or self.check is not None

    def trigger_field(self) -> str | None:
        """Return the question whose answer raises the finding (latest in form order)."""
        if self.field or self.when is None:
            return self.field
        names = [("country" if name == ZONE else name) for name in self.when.fields()]
        return max(names, key=FORM_ORDER.index) if names else None


class DocumentRule(_Frozen):
    """A document category a claim needs when `when` matches (DOC-*)."""

    category: str
    rule: str = Field(pattern=RULE_ID_PATTERN)
    key: str = ""
    level: RuleLevel
    when: Condition = Field(default_factory=Condition)
    statements: Statements = Field(default_factory=dict)

    @model_validator(mode="after")
    def _default_key(self) -> DocumentRule:
        if not self.key:
            object.__setattr__(self, "key", self.rule)
        return self


class Route(_Frozen):
    """What a route states, whichever decision row gives it."""

    level: RuleLevel
    statements: Statements = Field(default_factory=dict)


class DecisionRow(_Frozen):
    """One row of the decision table: the answers that give a route; the first match wins.

    ``rule`` is the RULES.md id the row applies (shown with « Pourquoi ? »), ``key`` its
    texts (rules.route.<key>.*), ``statements`` add to or refine the route's.
    """

    route: RouteId
    key: str = ""
    rule: str | None = Field(default=None, pattern=RULE_ID_PATTERN)
    source: str | None = Field(default=None, pattern=SOURCE_PATTERN)
    when: Condition
    statements: Statements = Field(default_factory=dict)
    basis: str = ""

    @model_validator(mode="after")
    def _default_key(self) -> DecisionRow:
        if not self.key:
            object.__setattr__(self, "key", self.route)
        if (self.rule is None) != (self.source is None):
            raise ValueError(f"{self.key}: a row names both its rule and its source, or neither")
        return self


class RuleSet(_Frozen):
    """Every rule, document requirement and route, plus the ids handled elsewhere."""

    choice_lists: dict[str, str]
    routes: dict[RouteId, Route]
    decisions: tuple[DecisionRow, ...] = Field(alias="decision")
    rules: tuple[Rule, ...] = Field(alias="rule")
    documents: tuple[DocumentRule, ...] = Field(alias="document")
    not_applicable: dict[str, str] = Field(default_factory=dict)
    disagreements: dict[str, str] = Field(default_factory=dict)

    def __hash__(self) -> int:
        # Loaded once and never changed: identity is enough to cache what derives from it.
        return id(self)

    def rule_ids(self) -> set[str]:
        """Return every RULES.md id this rule set applies or covers."""
        ids = {r.id for r in self.rules} | {d.rule for d in self.documents}
        ids |= {row.rule for row in self.decisions if row.rule}
        return ids | {c for r in self.rules for c in r.covers}

    def evaluated(self) -> tuple[Rule, ...]:
        """Return the rules that can raise findings, in display order."""
        return _evaluated(self)

    @model_validator(mode="after")
    def _validate(self, info: ValidationInfo) -> RuleSet:
        keys = [r.key for r in self.rules]
        if len(keys) != len(set(keys)):
            duplicates = sorted({k for k in keys if keys.count(k) > 1})
            raise ValueError(f"duplicate rule keys: {duplicates}")
        if clash := set(self.not_applicable) & self.rule_ids():
            raise ValueError(f"ids both applied and not applicable: {sorted(clash)}")
        if missing := set(get_args(RouteId)) - set(self.routes):
            raise ValueError(f"routes without a definition: {sorted(missing)}")
        if unused := set(get_args(RouteId)) - {row.route for row in self.decisions}:
            raise ValueError(f"routes no decision row gives: {sorted(unused)}")
        conditions = [r.when for r in self.rules if r.when is not None]
        conditions += [d.when for d in self.documents] + [r.when for r in self.decisions]
        for condition in conditions:
            self._check_condition(condition)
        for rule in self.rules:
            if rule.field is not None and rule.field not in FORM_ORDER:
                raise ValueError(f"{rule.key}: unknown field {rule.field!r}")
        known_checks = (info.context or {}).get("checks")
        if known_checks is not None:
            for rule in self.rules:
                if rule.check is not None and rule.check not in known_checks:
                    raise ValueError(f"{rule.key}: unknown check {rule.check!r}")
        categories = set(category_ids())
        if unknown := {d.category for d in self.documents} - categories:
            raise ValueError(f"unknown document categories: {sorted(unknown)}")
        self._check_texts()
        return self

    def _check_condition(self, condition: Condition) -> None:
        for name, expected in condition.root.items():
            if expected == ANSWERED:
                if name != ZONE and name not in FORM_ORDER:
                    raise ValueError(f"unknown field {name!r}")
                continue
            allowed = self._allowed_values(name)
            if bad := set(_as_list(expected)) - allowed:
                raise ValueError(f"{name}: unknown values {sorted(bad)}")

    def _allowed_values(self, name: str) -> set[str]:
        if name == ZONE:
            return {z.value for z in Zone}
        if name == BLOCKED:
            return {"oui"}
        if name == "country":
            return set(known_codes())
        if name in self.choice_lists:
            return {c.id for c in choice_list(self.choice_lists[name]).choices}
        raise ValueError(f"{name!r} can only be tested as answered ({ANSWERED!r})")

    def text_keys(self) -> set[str]:
        """Return every catalog key the rule set needs in each language."""
        keys = {f"rules.{r.key}.text" for r in self.rules}
        keys |= {f"rules.{r.key}.why" for r in self.evaluated()}
        keys |= {f"rules.{d.key}.text" for d in self.documents}
        keys |= {f"rules.route.{row.key}.{part}" for row in self.decisions for part in
                 ("text", "why")}
        keys |= {f"rules.route.{UNKNOWN}.text"}
        sources = [r.source for r in self.rules] + [row.source or "" for row in self.decisions]
        keys |= {f"rules.source.{key}" for source in sources for key, _ in source_parts(source)}
        return keys | {"rules.format.why", "rules.format.article"}

    def optional_text_keys(self) -> set[str]:
        """Return the catalog keys a route may have: its one thing to do now."""
        return {f"rules.route.{row.key}.now" for row in self.decisions}

    def _check_texts(self) -> None:
        for language in LANGUAGES:
            catalog = get_catalog(language)
            if missing := sorted(k for k in self.text_keys() if not catalog.has(k)):
                raise ValueError(f"texts missing in {language}: {missing}")


@cache
def _evaluated(ruleset: RuleSet) -> tuple[Rule, ...]:
    return tuple(r for r in ruleset.rules if r.evaluated)


def load_ruleset(checks: Collection[str] | None = None) -> RuleSet:
    """Read and validate ``config/rules.toml``; ``checks`` are the known predicate names."""
    context = {"checks": set(checks)} if checks is not None else None
    return RuleSet.model_validate(load_toml("rules.toml"), context=context)
