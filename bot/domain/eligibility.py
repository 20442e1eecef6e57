"""Eligibility rules: from a claim draft to the route, findings and required documents.

``evaluate`` is pure: it reads the draft, the user's earlier claims and today's date, and
reports only what the answers given so far allow it to decide. The rules themselves are
data (``config/rules.toml``, see ``bot.domain.ruleset``); this module only holds the few
predicates data cannot express (dates, history) and applies the rule set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache

from bot.domain.catalog import Catalog, get_catalog
from bot.domain.categories import category_ids
from bot.domain.claim import ClaimDraft
from bot.domain.parsing import format_date
from bot.domain.ruleset import FORM_ORDER, ZONE, Rule, RuleSet, load_ruleset

CLAIMS_PER_WINDOW = 2  # LIM-01: « au maximum 2 demandes par période de 15 jours »
WINDOW = timedelta(days=15)
TIME_BAR_YEARS = 2  # VAL-09 / LIM-06: CSS L160-11


class Level(StrEnum):
    """How a finding acts on the conversation (RULES.md levels)."""

    BLOCK = "BLOCK"
    WARN = "WARN"
    INFO = "INFO"


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
class PastClaim:
    """An earlier claim of the same account (LIM-01, LIM-02)."""

    submitted_on: date
    beneficiary_name: str | None = None


@dataclass(frozen=True)
class Evaluation:
    """The route, findings and documents that follow from a draft."""

    route: str
    route_text: str
    findings: tuple[Finding, ...] = ()
    documents: tuple[RequiredDocument, ...] = ()

    def blocking(self) -> list[Finding]:
        """Return the BLOCK findings."""
        return [f for f in self.findings if f.level is Level.BLOCK]


# A named predicate: the text's parameters when the rule applies, None when it does not
# (or when what it needs is not answered yet).
Check = Callable[[ClaimDraft, date, Sequence[PastClaim]], dict[str, object] | None]


def next_claim_date(today: date, history: Sequence[PastClaim]) -> date | None:
    """Return the first day a new claim is allowed, or None if allowed today (LIM-01)."""
    recent = sorted((c.submitted_on for c in history if today - WINDOW < c.submitted_on <= today),
                    reverse=True)
    if len(recent) < CLAIMS_PER_WINDOW:
        return None
    # Rolling window (DIS-13): allowed once the 2nd most recent claim is 15 days old.
    return recent[CLAIMS_PER_WINDOW - 1] + WINDOW


def time_bar_deadline(care_date: date) -> date:
    """Return the date a claim is time-barred: 2 years from the next quarter (VAL-09)."""
    quarter_month = (care_date.month - 1) // 3 * 3 + 4
    year = care_date.year + (quarter_month > 12)
    return date(year + TIME_BAR_YEARS, (quarter_month - 1) % 12 + 1, 1)


def _two_claims_in_window(
    draft: ClaimDraft, today: date, history: Sequence[PastClaim]
) -> dict[str, object] | None:
    allowed_from = next_claim_date(today, history)
    return None if allowed_from is None else {"date": format_date(allowed_from)}


def _accident_before_stay(
    draft: ClaimDraft, today: date, history: Sequence[PastClaim]
) -> dict[str, object] | None:
    accident, start = draft.accident_date, draft.stay_start
    if accident is None or start is None or accident >= start:
        return None
    return {"accident": format_date(accident), "days": (start - accident).days}


def _accident_after_stay(
    draft: ClaimDraft, today: date, history: Sequence[PastClaim]
) -> dict[str, object] | None:
    accident, end = draft.accident_date, draft.stay_end
    if accident is None or end is None or accident <= end:
        return None
    return {"accident": format_date(accident)}


def _stay_end_in_future(
    draft: ClaimDraft, today: date, history: Sequence[PastClaim]
) -> dict[str, object] | None:
    end = draft.stay_end
    return {"end": format_date(end)} if end is not None and end > today else None


def _time_barred(
    draft: ClaimDraft, today: date, history: Sequence[PastClaim]
) -> dict[str, object] | None:
    # The form has no care date: the stay end stands for the invoice dates (VAL-09).
    if draft.stay_end is None:
        return None
    deadline = time_bar_deadline(draft.stay_end)
    return {"deadline": format_date(deadline)} if today >= deadline else None


CHECKS: dict[str, Check] = {
    "two_claims_in_window": _two_claims_in_window,
    "accident_before_stay": _accident_before_stay,
    "accident_after_stay": _accident_after_stay,
    "stay_end_in_future": _stay_end_in_future,
    "time_barred": _time_barred,
}


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


def _finding(rule: Rule, params: dict[str, object], catalog: Catalog) -> Finding:
    why = catalog.text("rules.format.why", why=catalog.text(f"rules.{rule.key}.why"),
                       source=rule.source)
    return Finding(rule.id, Level(rule.level), catalog.text(f"rules.{rule.key}.text", **params),
                   rule.trigger_field(), why, rule.key)


def _applies(rule: Rule, draft: ClaimDraft, facts: dict[str, str | None], today: date,
             history: Sequence[PastClaim]) -> dict[str, object] | None:
    if rule.when is not None and not rule.when.matches(facts):
        return None
    if rule.check is not None:
        return CHECKS[rule.check](draft, today, history)
    return {}


def _documents(ruleset: RuleSet, facts: dict[str, str | None],
               catalog: Catalog) -> tuple[RequiredDocument, ...]:
    chosen: dict[str, RequiredDocument] = {}
    for doc in ruleset.documents:
        if not doc.when.matches(facts):
            continue
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
    ruleset = get_ruleset()
    catalog = get_catalog(language)
    facts = draft_facts(draft)
    findings = []
    for rule in ruleset.evaluated():
        params = _applies(rule, draft, facts, today, history)
        if params is not None:
            findings.append(_finding(rule, params, catalog))
    if any(f.level is Level.BLOCK for f in findings):
        route = "not_this_service"
    else:
        route = next((r.id for r in ruleset.routes if r.when.matches(facts)), "unknown")
    return Evaluation(route, catalog.text(f"rules.route.{route}"), tuple(findings),
                      _documents(ruleset, facts, catalog))
