"""One coherent answer per claim, over every combination of answers that changes a rule.

Hypothesis draws complete claims the way the conversation fills them (a question is
answered only where it is asked) over every value a rule or the decision table reads: the
zone class of every country and territory the rules name, scheduled or not, authorisation or
not, hospitalised or not, detachment and its length, situation, nationality, sector, CEAM,
tariff, partial refund, dates around the deadlines and earlier claims. For each claim:
exactly one route; no two statements that disagree; every document justified by a rule;
no document asked once a BLOCK applies; and nothing said after an early answer is taken
back by a later one.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.choices import choice_list
from bot.domain.claim import ClaimDraft
from bot.domain.countries import Zone, zone_of
from bot.domain.eligibility import PastClaim, decide, evaluate, get_ruleset
from bot.domain.ruleset import FORM_ORDER, UNKNOWN

TODAY = date(2025, 6, 1)
RULESET = get_ruleset()


def _named_countries() -> list[str]:
    """Return every code a condition names, plus one plain country per zone."""
    conditions = [r.when for r in RULESET.rules if r.when is not None]
    conditions += [d.when for d in RULESET.documents] + [row.when for row in RULESET.decisions]
    codes = {value for when in conditions for name, expected in when.root.items()
             if name == "country"
             for value in ([expected] if isinstance(expected, str) else expected)}
    return sorted(codes | {"PL", "ES", "IT", "NO", "CH", "GB", "US", "ZA", "TH", "PF", "GP"})


COUNTRIES = _named_countries()


def _ids(list_name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([c.id for c in choice_list(list_name).choices])


@st.composite
def claims(draw: st.DrawFn) -> tuple[ClaimDraft, tuple[PastClaim, ...]]:
    """Draw a complete claim, answering each question only where the conversation asks it."""
    answers: dict[str, Any] = {
        "regime": draw(_ids("regime")), "nationality": draw(_ids("nationality")),
        "situation": draw(_ids("situation")), "beneficiary_name": "CAMILLE",
        "beneficiary_birth_date": date(1990, 1, 1), "care_context": "Soins",
        "scheduled": draw(_ids("yes_no")), "amount": "120.50",
        "care_link": draw(_ids("care_link")), "country": draw(st.sampled_from(COUNTRIES)),
        "stay_reason": draw(_ids("stay_reason")), "hospitalised": draw(_ids("yes_no")),
    }
    if answers["scheduled"] == "oui":
        answers["authorisation"] = draw(_ids("authorisation"))
    zone = zone_of(answers["country"])
    if zone.in_zone:
        answers |= {"ceam": draw(_ids("ceam")), "tariff": draw(_ids("tariff")),
                    "partial_refund": draw(_ids("yes_no"))}
    if zone in (Zone.EU, Zone.EEE, Zone.CH):
        answers["sector"] = draw(_ids("sector"))
    if answers["stay_reason"] == "detachement":
        answers["detachment_length"] = draw(_ids("detachment_length"))
    # Stay ends: in the future (VAL-03), recent, or past the time bar (VAL-09).
    end = TODAY + timedelta(days=draw(st.sampled_from([5, -10, -400, -1000])))
    start = end - timedelta(days=draw(st.integers(0, 30)))
    answers |= {"stay_start": min(start, TODAY), "stay_end": end}
    if answers["care_link"] == "accident_tiers":
        answers["accident_date"] = start + timedelta(days=draw(st.sampled_from([-40, 0, 40])))
    if answers["hospitalised"] == "oui":
        answers |= {"hospital_start": answers["stay_start"], "hospital_end": answers["stay_start"]}
    history = tuple(PastClaim(TODAY - timedelta(days=days))
                    for days in draw(st.lists(st.sampled_from([1, 7, 20]), max_size=2)))
    return ClaimDraft(**answers), history


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims())
def test_every_claim_gets_one_route_and_one_coherent_answer(
    claim: tuple[ClaimDraft, tuple[PastClaim, ...]],
) -> None:
    draft, history = claim
    decision = decide(draft, today=TODAY, history=history)
    # Exactly one route: the answers leave no other one possible.
    assert decision.route != UNKNOWN
    assert decision.resolution.possible == {decision.route}
    # No two statements that disagree (route, findings and documents together).
    assert all(len(values) == 1 for values in decision.statements().values()), (
        decision.statements())
    evaluation = evaluate(draft, today=TODAY, history=history)
    # « Pourquoi ? » finds one finding per rule id.
    ids = [f.rule_id for f in evaluation.findings]
    assert len(ids) == len(set(ids))
    blocked = evaluation.route == "not_this_service"
    # Every BLOCK comes before any document is asked, from an answer to a question.
    assert all(f.field in FORM_ORDER for f in evaluation.blocking())
    if blocked:
        assert evaluation.blocking() and evaluation.documents == ()
        return
    # Every required document is justified by a RULES.md document rule that applies.
    assert {d.rule_id for d in evaluation.documents} <= {d.rule for d in decision.documents}
    assert all(d.rule_id.startswith("DOC-") for d in evaluation.documents)
    assert {"facture", "preuve_paiement"} <= {d.category for d in evaluation.documents}
    # A French collectivité needs no passport; a stay outside the EU in another state does.
    categories = {d.category for d in evaluation.documents}
    assert ("passeport" in categories) == (draft.zone in (Zone.OUTSIDE, Zone.EEE, Zone.CH,
                                                          Zone.UK))
    assert ("titre_transport" in categories) == (draft.hospitalised == "oui")  # DOC-06


@settings(max_examples=1_500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims())
def test_nothing_said_early_is_taken_back(
    claim: tuple[ClaimDraft, tuple[PastClaim, ...]],
) -> None:
    draft, history = claim
    final = decide(draft, today=TODAY, history=history)
    kept = {a.rule.key for a in final.applied}
    answered: dict[str, Any] = {}
    for name in FORM_ORDER:
        if draft.answered(name) and name in ClaimDraft.model_fields:
            answered[name] = draft.value(name)
            early = decide(ClaimDraft(**answered), today=TODAY, history=history)
            assert {a.rule.key for a in early.applied} <= kept, name
            if early.resolution.row is not None:
                assert early.route == final.route, name
