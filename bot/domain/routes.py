"""The route resolver: one route per claim, from the decision table of ``config/rules.toml``.

The table's rows are tried in order and the first that matches gives the route, so the
precedence is data. While answers are missing, ``possible_routes`` keeps every route a later
answer could still give: a finding tied to some routes is said only once all the possible
ones are among them, so nothing said early is contradicted by the final route.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.domain.ruleset import (
    BLOCKED,
    FORM_ORDER,
    UNKNOWN,
    ZONE,
    DecisionRow,
    RuleSet,
)

Facts = Mapping[str, str | None]


def blocked_fact(ruleset: RuleSet, facts: Facts, blocked_by_checks: bool) -> str | None:
    """Return « oui » when a BLOCK applies, None while one still may, « non » otherwise."""
    blocks = [r.when for r in ruleset.evaluated() if r.level == "BLOCK" and r.when is not None]
    if blocked_by_checks or any(when.matches(facts) for when in blocks):
        return "oui"
    return None if any(when.may_match(facts) for when in blocks) else "non"


def with_blocked(ruleset: RuleSet, facts: Facts, blocked_by_checks: bool) -> dict[str, str | None]:
    """Return the facts with the derived ``blocked`` fact the decision table reads."""
    return {**facts, BLOCKED: blocked_fact(ruleset, facts, blocked_by_checks)}


def possible(ruleset: RuleSet, facts: Facts, blocked_by_checks: bool) -> Resolution:
    """Return the resolution of the answers (memoised: few answers decide the route)."""
    names = (*deciding_fields(ruleset), ZONE)
    return _possible(ruleset, tuple(facts.get(name) for name in names), blocked_by_checks)


@lru_cache(maxsize=4096)
def _possible(ruleset: RuleSet, values: tuple[str | None, ...], blocked_by_checks: bool
              ) -> Resolution:
    facts = dict(zip((*deciding_fields(ruleset), ZONE), values, strict=True))
    return resolve(ruleset, with_blocked(ruleset, facts, blocked_by_checks))


@dataclass(frozen=True)
class Resolution:
    """The route the answers give, or UNKNOWN with the routes still possible."""

    route: str
    row: DecisionRow | None
    possible: frozenset[str]


def resolve(ruleset: RuleSet, facts: Facts) -> Resolution:
    """Return the route of the first row that surely matches, and every route still possible.

    ``facts`` carry ``blocked``. A row that may match before the first sure one keeps its
    route possible (an over-approximation: it only ever delays what is said).
    """
    possible: set[str] = set()
    for row in ruleset.decisions:
        if row.when.matches(facts):
            possible.add(row.route)
            if len(possible) == 1:
                return Resolution(row.route, row, frozenset(possible))
            return Resolution(UNKNOWN, None, frozenset(possible))
        if row.when.may_match(facts):
            possible.add(row.route)
    return Resolution(UNKNOWN, None, frozenset(possible | {UNKNOWN}))


@cache
def deciding_fields(ruleset: RuleSet) -> tuple[str, ...]:
    """Return the answers the route depends on, latest in form order first."""
    names = {name for row in ruleset.decisions for name in row.when.fields()}
    names |= {name for r in ruleset.evaluated() if r.level == "BLOCK" and r.when is not None
              for name in r.when.fields()}
    fields = {"country" if name == ZONE else name for name in names} - {BLOCKED}
    return tuple(sorted(fields, key=FORM_ORDER.index, reverse=True))


def fits(routes: Iterable[str], possible: frozenset[str]) -> bool:
    """Tell whether a finding of ``routes`` (empty: every route) holds whatever comes next."""
    allowed = set(routes)
    return not allowed or possible <= allowed


def said_at(ruleset: RuleSet, facts: Facts, routes: Iterable[str], blocked_by_checks: bool,
            trigger: str | None) -> str | None:
    """Return the answer after which a finding of ``routes`` can be said.

    That is the finding's own trigger, or the latest answer without which the routes still
    possible would not all be among ``routes``, whichever comes later in form order.
    """
    allowed = tuple(routes)
    if not allowed:
        return trigger
    for name in deciding_fields(ruleset):
        if facts.get(name) is None:
            continue
        without = {**facts, name: None, **({ZONE: None} if name == "country" else {})}
        if not fits(allowed, possible(ruleset, without, blocked_by_checks).possible):
            if trigger is None or FORM_ORDER.index(name) > FORM_ORDER.index(trigger):
                return name
            return trigger
    return trigger
