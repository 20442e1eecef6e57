"""The data files of ``config/``, each read into a model that refuses an unknown or missing key.

``rules.toml`` has its own model (``bot.domain.ruleset``) and the message catalogs theirs
(``bot.domain.catalog``); the lists, categories and typed words are here. Every file is
checked when it is first read, so a typo in a key stops the bot at start-up, not mid-claim.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from dateutil.easter import easter
from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from bot.domain.catalog import load_toml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(_Strict):
    """One entry of a fixed list: a stable id, the form's label, English, typed aliases."""

    id: str = Field(min_length=1)
    label: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()


class EntryList(_Strict):
    """A fixed list, in the form's order."""

    choices: tuple[Entry, ...] = Field(min_length=1)


class ChoicesFile(RootModel[dict[str, EntryList]]):
    """``config/choices.toml``: the form's fixed lists by name."""


class FileNames(_Strict):
    """How output file names say where a document comes from (``[names]``)."""

    generic: tuple[str, ...] = ()
    source_length: int = Field(ge=8, le=60)


class Tickets(_Strict):
    """When small tickets of one document share an A4 page (``[tickets]``, DOC-09)."""

    max_aspect: float = Field(gt=0, lt=1)
    min_line_pitch_pt: float = Field(gt=0)
    max_per_page: int = Field(ge=2, le=12)
    margin_pt: float = Field(ge=0, le=72)
    gap_pt: float = Field(ge=0, le=72)


class DocumentsFile(_Strict):
    """``config/documents.toml``: the categories of supporting documents, in file order."""

    category: tuple[Entry, ...] = Field(min_length=1)
    names: FileNames
    tickets: Tickets


class Holidays(_Strict):
    """Days the advisers are closed: fixed month-days (``MM-DD``) and days after Easter."""

    fixed: tuple[str, ...] = Field(min_length=1)
    after_easter: tuple[int, ...] = ()

    @field_validator("fixed")
    @classmethod
    def _month_days(cls, days: tuple[str, ...]) -> tuple[str, ...]:
        for day in days:
            date.fromisoformat(f"2000-{day}")  # a leap year: 02-29 is a day
        return days

    def closes(self, day: date) -> bool:
        """Tell whether ``day`` is one of these holidays."""
        return (day.strftime("%m-%d") in self.fixed
                or (day - easter(day.year)).days in self.after_easter)


class AdvisersFile(_Strict):
    """``config/advisers.toml``: the advisers' public holidays."""

    holidays: Holidays


class IntentsFile(RootModel[dict[str, dict[str, tuple[str, ...]]]]):
    """``config/intents.toml``: per context, the whole typed phrases of each intent.

    ``slash`` holds the command words (``/aide``): French first (the menu), then English.
    """


@cache
def choices_file() -> ChoicesFile:
    """Return the form's fixed lists."""
    return ChoicesFile.model_validate(load_toml("choices.toml"))


@cache
def documents_file() -> DocumentsFile:
    """Return the document categories."""
    return DocumentsFile.model_validate(load_toml("documents.toml"))


@cache
def advisers_file() -> AdvisersFile:
    """Return the advisers' public holidays."""
    return AdvisersFile.model_validate(load_toml("advisers.toml"))


@cache
def intents_file() -> IntentsFile:
    """Return the typed words of commands and buttons."""
    return IntentsFile.model_validate(load_toml("intents.toml"))


def check_config_files() -> None:
    """Read every data file once (start-up): a wrong key raises ``ValidationError`` now."""
    advisers_file()
    choices_file()
    documents_file()
    intents_file()
