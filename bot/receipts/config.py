"""The typed form of ``config/receipts.toml``: reader settings, labels and the checks' ids."""

from __future__ import annotations

from functools import cache
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.domain.catalog import get_catalog, load_toml
from bot.domain.ruleset import LANGUAGES, RULE_ID_PATTERN

CheckId = Literal["RCT-01", "RCT-02", "RCT-03"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReaderSettings(_Strict):
    """How hard to try and how sure to be."""

    threshold: float = Field(gt=0, le=1)
    timeout_seconds: float = Field(gt=0, le=60)
    languages: tuple[str, ...] = Field(min_length=1)
    date_languages: tuple[str, ...] = Field(min_length=1)


class TotalLabels(_Strict):
    """Labels of the amount to pay, with how sure each makes the line the total."""

    weight: float = Field(gt=0, le=1)
    labels: tuple[str, ...] = Field(min_length=1)


class ExcludedLabels(_Strict):
    """Labels of amounts that are not the total."""

    labels: tuple[str, ...]


class DateLabels(_Strict):
    """Labels of the date and how old a date may be."""

    labels: tuple[str, ...]
    max_age_days: int = Field(gt=0)


class CurrencyRule(_Strict):
    """One way of reading the currency of the total (RULES.md style id) and its confidence."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    what: str
    confidence: float = Field(gt=0, le=1)


class CurrencyRules(_Strict):
    """The ways of reading the currency, surest first, and how second opinions weigh."""

    shared: float = Field(gt=0, le=1)
    agreement: float = Field(ge=0, lt=1)
    disagreement: float = Field(ge=0, lt=1)
    mark: CurrencyRule
    misread: CurrencyRule
    elsewhere: CurrencyRule
    context: CurrencyRule

    def in_order(self) -> tuple[CurrencyRule, ...]:
        """Return the rules, surest first."""
        return (self.mark, self.misread, self.elsewhere, self.context)


class Check(_Strict):
    """One check at step 4 (RULES.md style id; its text is ``receipts.check.<id>``)."""

    id: CheckId = Field(pattern=RULE_ID_PATTERN)
    level: Literal["WARN", "INFO"]
    source: str
    what: str
    tolerance: float | None = Field(default=None, gt=0, lt=1)


class ReceiptsConfig(_Strict):
    """Everything in ``config/receipts.toml``."""

    reader: ReaderSettings
    total_labels: tuple[TotalLabels, ...] = Field(alias="total_label", min_length=1)
    excluded: ExcludedLabels
    date: DateLabels
    currency: CurrencyRules
    checks: tuple[Check, ...] = Field(alias="check")

    @model_validator(mode="after")
    def _every_check_once_with_texts(self) -> ReceiptsConfig:
        ids = [check.id for check in self.checks]
        if sorted(ids) != sorted(get_args(CheckId)):
            raise ValueError(f"each of {get_args(CheckId)} exactly once, got {ids}")
        for language in LANGUAGES:
            catalog = get_catalog(language)
            if missing := [i for i in ids if not catalog.has(f"receipts.check.{i}")]:
                raise ValueError(f"texts missing in {language}: {missing}")
        rules = [rule.id for rule in self.currency.in_order()]
        if len({*rules, *ids}) != len(rules) + len(ids):
            raise ValueError(f"rule ids used twice: {rules} {ids}")
        return self

    def check(self, check_id: CheckId) -> Check:
        """Return the check ``check_id``."""
        return next(check for check in self.checks if check.id == check_id)


@cache
def receipts_config() -> ReceiptsConfig:
    """Read and validate ``config/receipts.toml`` once."""
    return ReceiptsConfig.model_validate(load_toml("receipts.toml"))
