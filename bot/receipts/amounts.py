"""The total of a receipt from its OCR lines, and how sure we are of it.

A line is a total when it carries a label of ``config/receipts.toml`` (TOTAL, DO ZAPŁATY,
Amount due…, matched with a tolerance for OCR errors) and is no subtotal, tax or change
line. The confidence grows with the label's weight and, above all, with arithmetic: the
item amounts printed just above it add up to it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz

from bot.domain.money import parse_number
from bot.domain.text import fold
from bot.receipts.config import receipts_config
from bot.receipts.marks import Mark, find_marks, without_marks
from bot.receipts.model import Read

# The last number of a line: where receipts print the amount of the line.
# Date-shaped tokens (dateparser reads them); they are never amounts.
DATE_TOKEN = re.compile(
    r"\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b"
    r"|\b\d{1,2}\.?\s+[^\W\d_]{3,12}\.?\s+\d{4}\b|\b[^\W\d_]{3,9}\.?\s+\d{1,2},?\s+\d{4}\b"
)
# Not a time or a date (« 10:42 », « 03/07 »): a number after a space, a mark or nothing.
_TRAILING_NUMBER = re.compile(r"(?:^|(?<=[\s$£€¥]))(\d[\d.,' ]*\d|\d)\D*$")
_SPLIT_CENTS = re.compile(r"(?<=\d[.,]) (?=\d{2}$)")  # « 96. 28 »: OCR saw a space
_DECIMALS = re.compile(r"([.,])\d{2}$")
_SPECK = re.compile(r"\d{1,2}")
_LABEL_SHARE = 0.75  # a label alone never reaches the default threshold: arithmetic must agree
_SUM_BONUS = 0.22
_AGREE_BONUS = 0.05
_SUMMED = 0.85  # no label read, but two or more items add up to it exactly
_GUESS = 0.3  # the largest amount: proposed only as a question


@dataclass(frozen=True)
class Line:
    """One OCR line: its text, its words folded, its last amount if any, its currency marks.

    ``digits`` are all the digits of the line, dates aside: what OCR saw of an amount it
    split (« 1 79,61 »), glued to a word (« úhradě38 811,00 ») or read without its separator
    (« 37759 »).
    """

    text: str
    words: str
    amount: Decimal | None
    amount_text: str
    digits: str = ""
    marks: tuple[Mark, ...] = ()


def _plain(line: str) -> tuple[str, tuple[Mark, ...]]:
    """Return the line without its dates and currency marks, and the marks."""
    undated = DATE_TOKEN.sub(" ", line)
    found = find_marks(undated)
    return without_marks(undated, [span for span, _ in found]), tuple(m for _, m in found)


def _amount_token(plain: str) -> str | None:
    match = _TRAILING_NUMBER.search(plain)
    if match is None:
        return None
    parts = _SPLIT_CENTS.sub("", match.group(1)).replace("'", " ").split(" ")
    if len(parts) > 1 and _DECIMALS.search(parts[-2]) and _SPECK.fullmatch(parts[-1]):
        parts.pop()  # « 154,44 2 »: a mark OCR read as a digit or two, not the amount
    # « 1 234,56 » is one amount, « x2 3.00 » is a count then an amount: a space joins
    # groups only when each group after it has exactly three digits.
    kept = [parts[-1]]
    for part in reversed(parts[:-1]):
        head = re.split(r"[.,]", kept[0])[0]
        if not (len(head) == 3 and head.isdigit() and part.isdigit() and len(part) <= 3):
            break
        kept.insert(0, part)
    return " ".join(kept)


def decimal_separator(lines: Sequence[str]) -> str | None:
    """Return the receipt's decimal mark, from its amounts with two decimals (None: unknown)."""
    marks: Counter[str] = Counter()
    for line in lines:
        token = _amount_token(_plain(line)[0])
        if token and (found := _DECIMALS.search(token)):
            marks[found.group(1)] += 1
    return marks.most_common(1)[0][0] if marks else None


def split_lines(texts: Sequence[str]) -> list[Line]:
    """Return the lines with their folded words and trailing amount."""
    separator = decimal_separator(texts)
    lines = []
    for text in texts:
        plain, marks = _plain(text)
        token = _amount_token(plain)
        amount = parse_number(token, separator) if token else None
        lines.append(Line(text, fold(text), amount, token or "", re.sub(r"\D", "", plain), marks))
    return lines


def _has(words: str, label: str, fuzzy: bool) -> bool:
    if f" {label} " in f" {words} ":
        return True
    # Fuzzy only at the start of the line, where labels are printed, and one OCR error per
    # five letters (« T0TAL » is « total »; « Beratung » is not « betrag »).
    wanted = 100 - 100 / len(label)
    return fuzzy and len(label) >= 5 and fuzz.ratio(label, words[: len(label)]) >= wanted


def label_weight(words: str) -> float:
    """Return how sure the folded line's label makes it the total (0: no total label)."""
    config = receipts_config()
    if any(_has(words, label, fuzzy=False) for label in config.excluded.labels):
        return 0.0
    for fuzzy in (False, True):
        for group in config.total_labels:
            if any(_has(words, label, fuzzy) for label in group.labels):
                return group.weight
    return 0.0


def _items_sum(lines: Sequence[Line], end: int) -> Decimal | None:
    """Add the amounts of the unbroken run of lines with an amount just above ``end``."""
    total, seen = Decimal(0), 0
    for line in reversed(lines[:end]):
        if line.amount is None or not re.search(r"[^\W\d_]", line.text):
            break
        if label_weight(line.words) == 0.0 and not _is_excluded(line.words):
            total += line.amount
            seen += 1
    return total if seen else None


def _is_excluded(words: str) -> bool:
    return any(_has(words, label, fuzzy=False) for label in receipts_config().excluded.labels)


def _candidates(lines: Sequence[Line]) -> list[tuple[int, float, Line]]:
    found = []
    for index, line in enumerate(lines):
        weight = label_weight(line.words)
        if weight == 0.0:
            continue
        if line.amount is not None:
            found.append((index, weight, line))
        elif index + 1 < len(lines) and lines[index + 1].amount is not None:
            found.append((index + 1, weight, lines[index + 1]))  # amount printed below
    return found


def _sum_total(lines: Sequence[Line]) -> tuple[int, Decimal] | None:
    """Return the last amount equal to the sum of two or more amounts just above it.

    When OCR splits the amounts column from the labels, arithmetic still finds the total.
    """
    amounts = [(i, line.amount) for i, line in enumerate(lines)
               if line.amount is not None and line.amount > 0 and not _is_excluded(line.words)]
    for position in range(len(amounts) - 1, 1, -1):
        index, value = amounts[position]
        running = Decimal(0)
        for count, (_, amount) in enumerate(reversed(amounts[:position]), start=1):
            running += amount
            if running == value and count >= 2:
                return index, value
            if running > value:
                break
    return None


def _largest(lines: Sequence[Line]) -> tuple[Read[Decimal], Line] | None:
    usable = [line for line in lines if line.amount is not None and line.amount > 0]
    if not usable:
        return None
    line = max(usable, key=lambda candidate: candidate.amount or 0)
    return Read(line.amount or Decimal(0), _GUESS), line


def read_total(lines: Sequence[Line]) -> tuple[Read[Decimal], Line] | None:
    """Return the total and the line it was read on; None when no line has an amount.

    In order: a labelled total the items add up to; an amount the items above add up to;
    the items' sum when the labelled total has its digits; a labelled total alone (not sure:
    the bot asks); the largest amount (a guess: it asks).
    """
    summed = _sum_total(lines)
    candidates = [c for c in _candidates(lines) if c[2].amount is not None and c[2].amount > 0]
    if not candidates:
        if summed is not None:
            return Read(summed[1], _SUMMED), lines[summed[0]]
        return _largest(lines)
    # The strongest label wins; among equals, the last one (totals close a receipt).
    index, weight, line = max(candidates, key=lambda c: (c[1], c[0]))
    if line.amount is None:
        return None  # filtered above; says so to the type checker
    confidence = weight * _LABEL_SHARE
    items = _items_sum(lines, index)
    if items == line.amount or (summed and summed[1] == line.amount):
        confidence += _SUM_BONUS
    elif summed is not None:
        # The label's line was misread, the arithmetic was not.
        return Read(summed[1], _SUMMED - _AGREE_BONUS), lines[summed[0]]
    elif items is not None and line.digits == re.sub(r"\D", "", str(items)):
        # OCR split the total, glued it or lost its separator (« 1 79,61 », « 37759 »): the
        # line's digits are those of the items' sum, which is the total.
        return Read(items, round(confidence + _SUM_BONUS - _AGREE_BONUS, 3)), line
    others = [c[2].amount for c in candidates if c[0] != index]
    if others and all(amount == line.amount for amount in others):
        confidence += _AGREE_BONUS
    elif others:
        confidence -= _AGREE_BONUS
    return Read(line.amount, round(min(confidence, 0.99), 3)), line
