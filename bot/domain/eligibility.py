"""Eligibility rules: from a claim draft to the route, findings and required documents.

``evaluate`` is pure: it reads the draft, the user's earlier claims and today's date, and
reports only what the answers given so far allow it to decide. The rules themselves are
data (``config/rules.toml``, see ``bot.domain.ruleset``); this module holds the few
predicates data cannot express (dates, history), applies the rule set, and keeps only the
findings of the one route the decision table gives (``bot.domain.routes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache

from bot.domain.catalog import Catalog, get_catalog
from bot.domain.categories import category_ids
from bot.domain.checks import CHECKS, PastClaim, next_claim_date, time_bar_deadline
from bot.domain.claim import ClaimDraft
from bot.domain.routes import Resolution, fits, possible, said_at
from bot.domain.ruleset import (
    FORM_ORDER,
    UNKNOWN,
    ZONE,
    DecisionRow,
    DocumentRule,
    Rule,
    RuleSet,
    load_ruleset,
)
from bot.domain.sources import source_names

__all__ = ["CHECKS", "Evaluation", "Finding", "Level", "PastClaim", "RequiredDocument",
           "decide", "evaluate", "get_ruleset", "next_claim_date", "time_bar_deadline"]


class Level(StrEnum):
    """How a finding acts on the conversation (RULES.md levels)."""

    BLOCK = "BLOCK"
    WARN = "WARN"
    INFO = "INFO"


ROUTE_KEY = "route."  # the key prefix of the finding that states the route
_STRENGTH = {Level.INFO: 0, Level.WARN: 1, Level.BLOCK: 2}


@dataclass(frozen=True)
class Finding:
    """One rule that applies: its id, level, French text and the field that caused it."""

    rule_id: str
    level: Level
    text: str
    field: str | None = None
    why: str = ""
    key: str = ""  # the rule's text key, when one id has several variants (VAL-06)


@dataclass(frozen=True)
class RequiredDocument:
    """A document category the claim needs (BLOCK) or should have (WARN)."""

    category: str
    rule_id: str
    level: Level
    text: str


@dataclass(frozen=True)
class Evaluation:
    """The route, findings and documents that follow from a draft."""

    route: str
    route_text: str
    findings: tuple[Finding, ...] = ()
    documents: tuple[RequiredDocument, ...] = ()
    route_now: str = ""  # the one thing to do now, when the route has one

    def blocking(self) -> list[Finding]:
        """Return the BLOCK findings."""
        return [f for f in self.findings if f.level is Level.BLOCK]


@cache
def get_ruleset() -> RuleSet:
    """Load and validate the rule set once; call at start-up to fail fast on bad config."""
    return load_ruleset(CHECKS)


@cache
def _category_order() -> tuple[str, ...]:
    return tuple(category_ids())


def draft_facts(draft: ClaimDraft) -> dict[str, str | None]:
    """Return the answers as the condition language sees them (ids, codes, ISO dates)."""
    facts: dict[str, str | None] = {}
    for name in FORM_ORDER:
        value = draft.value(name)
        if isinstance(value, str | date | Decimal):
            facts[name] = str(value)
        elif value is None:
            facts[name] = None
    facts[ZONE] = draft.zone.value if draft.zone else None
    return facts


def _applies(rule: Rule, draft: ClaimDraft, facts: dict[str, str | None], today: date,
             history: Sequence[PastClaim]) -> dict[str, object] | None:
    if rule.when is not None and not rule.when.matches(facts):
        return None
    if rule.check is not None:
        return CHECKS[rule.check](draft, today, history)
    return {}


@dataclass(frozen=True)
class Applied:
    """A rule that applies to the draft and belongs to every route still possible."""

    rule: Rule
    params: dict[str, object]
    field: str | None


@dataclass(frozen=True)
class Decision:
    """What the answers decide, before any text: the route, the rules and the documents."""

    resolution: Resolution
    route_field: str | None
    applied: tuple[Applied, ...]
    documents: tuple[DocumentRule, ...]

    @property
    def route(self) -> str:
        """Return the route, or UNKNOWN while more than one is possible."""
        return self.resolution.route

    def statements(self) -> dict[str, set[str]]:
        """Return every value said for each statement key (one value each when coherent)."""
        said: dict[str, set[str]] = {}
        sources = [a.rule.statements for a in self.applied]
        sources += [d.statements for d in self.documents]
        row = self.resolution.row
        if row is not None:
            sources += [get_ruleset().routes[row.route].statements, row.statements]
        for statements in sources:
            for key, value in statements.items():
                said.setdefault(key, set()).add(value)
        return said


def decide(draft: ClaimDraft, *, today: date, history: Sequence[PastClaim] = ()) -> Decision:
    """Apply the rule set and the decision table to the answers given so far."""
    ruleset = get_ruleset()
    facts = draft_facts(draft)
    matched = [(rule, params) for rule in ruleset.evaluated()
               if (params := _applies(rule, draft, facts, today, history)) is not None]
    by_checks = any(r.level == "BLOCK" and r.check is not None for r, _ in matched)
    resolution = possible(ruleset, facts, by_checks)
    blocked = resolution.route == "not_this_service"
    applied = tuple(
        Applied(rule, params, said_at(ruleset, facts, rule.routes, by_checks,
                                      rule.trigger_field()))
        for rule, params in matched
        if fits(rule.routes, resolution.possible)
    )
    route_field = None
    if resolution.row is not None:
        route_field = said_at(ruleset, facts, (resolution.route,), by_checks, None)
    documents = () if blocked else tuple(d for d in ruleset.documents if d.when.matches(facts))
    return Decision(resolution, route_field, applied, documents)


def _why(catalog: Catalog, key: str, source: str) -> str:
    return catalog.text("rules.format.why", why=catalog.text(key),
                        source=source_names(source, catalog))


def _route_finding(row: DecisionRow, rule: str, source: str, field: str | None,
                   catalog: Catalog, place: dict[str, object]) -> Finding:
    """Return the route said as a finding: its text, what to do now and its « Pourquoi ? »."""
    level = Level(get_ruleset().routes[row.route].level)
    return Finding(rule, level, route_text(catalog, row.key, place, with_now=True), field,
                   _why(catalog, f"rules.route.{row.key}.why", source), f"{ROUTE_KEY}{row.key}")


def route_text(catalog: Catalog, key: str, place: dict[str, object], *,
               with_now: bool = False) -> str:
    """Return a route's text, followed by what to do now when asked and when there is one."""
    text = catalog.text(f"rules.route.{key}.text", **place)
    now = f"rules.route.{key}.now"
    return f"{text} {catalog.text(now)}" if with_now and catalog.has(now) else text


def _documents(decision: Decision, catalog: Catalog) -> tuple[RequiredDocument, ...]:
    chosen: dict[str, RequiredDocument] = {}
    for doc in decision.documents:
        level = Level(doc.level)
        current = chosen.get(doc.category)
        if current is None or _STRENGTH[level] > _STRENGTH[current.level]:
            text = catalog.text(f"rules.{doc.key}.text")
            chosen[doc.category] = RequiredDocument(doc.category, doc.rule, level, text)
    order = _category_order()
    return tuple(sorted(chosen.values(), key=lambda d: order.index(d.category)))


def evaluate(
    draft: ClaimDraft,
    *,
    today: date,
    history: Sequence[PastClaim] = (),
    language: str = "fr",
) -> Evaluation:
    """Return the route, findings and documents the answers given so far decide."""
    catalog = get_catalog(language)
    decision = decide(draft, today=today, history=history)
    place: dict[str, object] = {"place": draft.care_country.name_fr if draft.care_country else ""}
    findings = [Finding(a.rule.id, Level(a.rule.level),
                        catalog.text(f"rules.{a.rule.key}.text", **{**place, **a.params}),
                        a.field, _why(catalog, f"rules.{a.rule.key}.why", a.rule.source),
                        a.rule.key)
                for a in decision.applied]
    row = decision.resolution.row
    if row is not None and row.rule is not None and row.source is not None:
        findings.insert(0, _route_finding(row, row.rule, row.source, decision.route_field,
                                          catalog, place))
    key = row.key if row is not None else UNKNOWN
    now = f"rules.route.{key}.now"
    return Evaluation(decision.route, route_text(catalog, key, place), tuple(findings),
                      _documents(decision, catalog),
                      catalog.text(now) if catalog.has(now) else "")
