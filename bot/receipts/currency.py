"""The currency of a receipt's total, and how sure of it (``[currency]`` in receipts.toml).

Rules, surest first: a mark by the total (RCT-04); an OCR misreading of one there (RCT-05);
the marks by the receipt's other amounts and in its header (RCT-06); its language or country
(RCT-07). The first rule that names a currency gives it; each later one is a second opinion
that raises the confidence when it agrees and lowers it when it does not, so a guess, or a
receipt whose clues disagree, stays below the threshold and the bot asks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.domain.money import currency_marks
from bot.receipts.amounts import Line
from bot.receipts.config import CurrencyRules, receipts_config
from bot.receipts.marks import Mark
from bot.receipts.model import Read


@dataclass(frozen=True)
class _Vote:
    """What one rule says: the currencies its clues allow, likeliest first."""

    codes: tuple[str, ...]
    certain: bool  # one currency, that every clue allows

    def allows(self, code: str) -> bool:
        """Tell whether ``code`` is what the clues say, or one of what they may say."""
        return code == self.codes[0] or (not self.certain and code in self.codes)


def _vote(currencies: Sequence[tuple[str, ...]]) -> _Vote | None:
    """Return the vote of clues, each the currencies it may mean (the likeliest first)."""
    if not currencies:
        return None
    common = set(currencies[0]).intersection(*currencies[1:])
    if common:  # « kr » and « kr. »: Swedish, Norwegian or Danish, in the first one's order
        return _Vote(tuple(c for c in currencies[0] if c in common), len(common) == 1)
    counts = Counter(options[0] for options in currencies)  # clues that disagree
    return _Vote(tuple(code for code, _ in counts.most_common()), certain=False)


def _codes(marks: Sequence[Mark]) -> list[tuple[str, ...]]:
    return [(m.currency.code, *m.currency.alternatives) for m in marks]


def _context(lines: Sequence[Line]) -> list[tuple[str, ...]]:
    text = " ".join(f" {line.words} " for line in lines)
    return [(code,) for code, cues in currency_marks().context.items()
            for cue in cues if f" {cue} " in text]


def _votes(total_line: Line | None, total: Decimal | None,
           lines: Sequence[Line]) -> list[_Vote | None]:
    """Return each rule's vote, in the order of ``CurrencyRules.in_order``."""
    by_total = [line for line in lines if line is total_line
                or (total is not None and line.amount == total)]
    # Away from the total's own line, a mark counts by an amount or when no word is like it.
    near = [m for line in by_total for m in line.marks
            if line is total_line or m.by_amount or m.distinctive]
    far = [m for line in lines if line not in by_total for m in line.marks
           if m.by_amount or m.distinctive]
    return [_vote(_codes([m for m in near if not m.misread])),
            _vote(_codes([m for m in near if m.misread])),
            _vote(_codes(far)),
            _vote(_context(lines))]


def _weigh(rules: CurrencyRules, votes: list[_Vote | None]) -> Read[str] | None:
    named = [(rule, vote) for rule, vote in zip(rules.in_order(), votes, strict=True) if vote]
    if not named:
        return None
    (rule, first), seconds = named[0], [vote for _, vote in named[1:]]
    code = first.codes[0]
    confidence = rule.confidence
    if not first.certain:  # a shared mark, or marks that disagree: a second opinion may say
        # which currency it is, and the bot asks whatever it says
        code = next((v.codes[0] for v in seconds if v.certain and v.codes[0] in first.codes),
                    code)
        confidence = rules.shared
    for vote in seconds:
        if not vote.allows(code):
            confidence -= rules.disagreement
        elif vote.certain:  # « kr » again says nothing more of which crown it is
            confidence += rules.agreement
    return Read(code, round(max(0.0, min(confidence, rules.mark.confidence)), 3))


def read_currency(total_line: Line | None, total: Decimal | None,
                  lines: Sequence[Line]) -> Read[str] | None:
    """Return the currency of ``total`` (read on ``total_line``); None when nothing names one."""
    rules = receipts_config().currency
    return _weigh(rules, _votes(total_line, total, lines))
