"""Read a typed or pressed answer for a question, and show a stored value back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bot.domain.choices import choice_list
from bot.domain.claim import ClaimDraft
from bot.domain.countries import ambiguous_countries, country, country_by_code, find_country
from bot.domain.date_windows import date_window
from bot.domain.errors import InvalidAnswer
from bot.domain.parsing import (
    format_amount,
    format_date,
    parse_amount,
    parse_context,
    parse_date,
    parse_name,
)
from states.questions import Kind, Question


def read_answer(question: Question, typed: str, today: date, draft: ClaimDraft) -> Any:
    """Parse a typed answer into the value stored in the draft."""
    match question.kind:
        case Kind.CHOICE:
            choice = choice_list(question.choices or "").match(typed)
            if choice is None:
                raise InvalidAnswer("error.choice.unknown")
            return choice.id
        case Kind.COUNTRY:
            found = find_country(typed)
            if found is None:  # an ambiguous name is asked again with its places as buttons
                raise InvalidAnswer("error.country.ambiguous" if ambiguous_countries(typed)
                                    else "error.country.unknown")
            return found.code
        case Kind.DATE:
            return parse_date(typed, today, date_window(question.field, draft, today))
        case Kind.AMOUNT:
            return parse_amount(typed)
        case Kind.CONTEXT:
            return parse_context(typed)
        case Kind.NAME:
            return parse_name(typed)
    raise AssertionError(question.kind)  # pragma: no cover


def read_pressed(question: Question, choice_id: str) -> Any:
    """Return the stored value of a pressed button, or raise if it is not one of the list's."""
    if question.kind is Kind.COUNTRY:
        found = country_by_code(choice_id)
        if found is None:
            raise InvalidAnswer("error.country.unknown")
        return found.code
    if question.choices is None or choice_list(question.choices).get(choice_id) is None:
        raise InvalidAnswer("error.choice.unknown")
    return choice_id


def show_value(question: Question, value: Any, language: str) -> str:
    """Return a stored value as the form shows it (JJ/MM/AAAA, 1234,56, capitals…)."""
    if value is None:
        return "—"
    if question.kind is Kind.CHOICE and question.choices:
        choice = choice_list(question.choices).get(value)
        return choice.label_for(language) if choice else str(value)
    if question.kind is Kind.COUNTRY:
        return country(value).label
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)
