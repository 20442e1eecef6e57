"""Countries and territories by code: typed names in many languages, zones, display names.

Names come from pycountry's ISO 3166 data and its translations (French, English and the
languages of the countries people most travel to), plus ``config/countries.toml``: aliases,
the territories RULES.md names that have no ISO 3166-1 code (ZON-03, ZON-21, ZON-22), and the
names that designate places the rules tell apart (asked with buttons, never guessed).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import pycountry
from pydantic import BaseModel, ConfigDict, Field, model_validator
from rapidfuzz import fuzz, process

from bot.domain.catalog import load_toml
from bot.domain.text import fold

_NAME_LANGUAGES = ("fr", "en", "de", "es", "it", "pt", "pl", "nl", "cs", "sv", "da", "el",
                   "hu", "ro", "fi", "hr", "sk", "sl", "bg", "tr", "ar", "ru")
_FUZZY_THRESHOLD = 85
ISO_CODES = frozenset({c.alpha_2 for c in pycountry.countries} | {"XK"})


class Zone(StrEnum):
    """Where the care took place, as the rules see it (RULES.md section 1)."""

    EU = "eu"
    EEE = "eee"
    CH = "ch"
    UK = "uk"
    DOMESTIC = "domestic"
    COM = "com"
    OUTSIDE = "outside"

    @property
    def in_zone(self) -> bool:
        """Tell whether the country is in « UE / EEE / Royaume-Uni / Suisse » (ZON-02)."""
        return self in (Zone.EU, Zone.EEE, Zone.CH, Zone.UK)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Territory(_Frozen):
    """A place with rules of its own but no ISO 3166-1 code."""

    code: str = Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{2,5}$")
    zone: Zone
    sovereign: str
    name: str
    names: tuple[str, ...] = Field(min_length=1)


class CountriesConfig(_Frozen):
    """The typed form of ``config/countries.toml``."""

    zones: dict[Zone, tuple[str, ...]]
    aliases: dict[str, str]
    display: dict[str, str]
    territories: tuple[Territory, ...] = Field(alias="territory")
    ambiguous: dict[str, tuple[str, ...]]

    def codes(self) -> frozenset[str]:
        """Return every code a claim's country may hold."""
        return ISO_CODES | {t.code for t in self.territories}

    @model_validator(mode="after")
    def _known_codes(self) -> CountriesConfig:
        codes = self.codes()
        used = {c for zone in self.zones.values() for c in zone} | set(self.aliases.values())
        used |= set(self.display) | {t.sovereign for t in self.territories}
        used |= {c for options in self.ambiguous.values() for c in options}
        if unknown := used - codes:
            raise ValueError(f"unknown country codes: {sorted(unknown)}")
        if short := [name for name, options in self.ambiguous.items() if len(options) < 2]:
            raise ValueError(f"an ambiguous name needs two places at least: {short}")
        return self


@dataclass(frozen=True)
class Country:
    """A country or territory, kept by its code."""

    code: str
    name_fr: str
    sovereign: str | None = None

    @property
    def zone(self) -> Zone:
        """Return the zone of this country."""
        return zone_of(self.code)

    @property
    def label(self) -> str:
        """Return the name in capitals, as the form's « Pays » list shows it (FRM-08).

        A territory shows its sovereign country first: that is the entry to pick on the form.
        """
        if self.sovereign is None:
            return self.name_fr.upper()
        return f"{country(self.sovereign).label} ({self.name_fr.upper()})"


def _translator(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@dataclass(frozen=True)
class _Data:
    config: CountriesConfig
    zones: dict[str, Zone]
    places: dict[str, Country]
    index: dict[str, str]  # folded name → code
    ambiguous: dict[str, tuple[str, ...]]  # folded name → codes


def _keys(name: str) -> set[str]:
    """Return the folded forms of a name: as typed, and as one word (« saintbarth »)."""
    folded = fold(name)
    return {folded, folded.replace(" ", "")} - {""}


@cache
def _data() -> _Data:
    """Validate config/countries.toml and build the name index once."""
    config = CountriesConfig.model_validate(load_toml("countries.toml"))
    zones = {code: zone for zone, codes in config.zones.items() for code in codes}
    french = _translator("fr")
    translators = [_translator(lang) for lang in _NAME_LANGUAGES]
    places: dict[str, Country] = {"XK": Country("XK", "Kosovo")}
    index: dict[str, str] = {}
    for iso in pycountry.countries:
        code = iso.alpha_2
        places[code] = Country(code, config.display.get(code, french.gettext(iso.name)))
        names = {iso.name, getattr(iso, "common_name", iso.name),
                 getattr(iso, "official_name", iso.name), code, iso.alpha_3}
        names |= {t.gettext(iso.name) for t in translators}
        for name in names:
            for variant in (name, name.split(",")[0], name.split("(")[0]):
                for key in _keys(variant):
                    index.setdefault(key, code)
    for territory in config.territories:
        zones[territory.code] = territory.zone
        places[territory.code] = Country(territory.code, territory.name, territory.sovereign)
        for name in (territory.name, territory.code, *territory.names):
            index.update(dict.fromkeys(_keys(name), territory.code))
    for alias, code in config.aliases.items():
        index.update(dict.fromkeys(_keys(alias), code))
    for code, name in config.display.items():
        for key in _keys(name):
            index.setdefault(key, code)
    ambiguous = {key: codes for name, codes in config.ambiguous.items() for key in _keys(name)}
    for key in ambiguous:
        index.pop(key, None)  # never matched silently
    return _Data(config, zones, places, index, ambiguous)


def known_codes() -> frozenset[str]:
    """Return every code the country answer may hold (ISO 3166-1, plus territories)."""
    return _data().config.codes()


def zone_of(code: str) -> Zone:
    """Return the zone of a code."""
    return _data().zones.get(code, Zone.OUTSIDE)


def country(code: str) -> Country:
    """Return the country or territory with code ``code``."""
    return _data().places.get(code, Country(code, code))


def country_by_code(code: str) -> Country | None:
    """Return the place with exactly this code (a pressed button), or None."""
    return _data().places.get(code)


def ambiguous_countries(typed: str) -> list[Country]:
    """Return the places a typed name may designate when the rules tell them apart."""
    return [country(code) for code in _data().ambiguous.get(fold(typed), ())]


def find_country(typed: str) -> Country | None:
    """Return the place a typed name or code designates, or None when unsure or ambiguous."""
    key = fold(typed)
    if not key or ambiguous_countries(typed):
        return None
    data = _data()
    found = data.index.get(key) or data.index.get(key.replace(" ", ""))
    if found:
        return country(found)
    if len(key) <= 3:
        return None  # an unknown short code is never guessed
    best = process.extractOne(key, list(data.index), scorer=fuzz.ratio)
    if best is None or best[1] < _FUZZY_THRESHOLD:
        return None
    return country(data.index[best[0]])


def suggest_countries(typed: str, limit: int = 3) -> list[Country]:
    """Return the places to offer as buttons: the ambiguous ones, else the closest names."""
    if ambiguous := ambiguous_countries(typed):
        return ambiguous
    index = _data().index
    found: list[Country] = []
    for name, _score, _ in process.extract(fold(typed), list(index), scorer=fuzz.WRatio,
                                           limit=limit * 4):
        candidate = country(index[name])
        if candidate not in found:
            found.append(candidate)
        if len(found) == limit:
            break
    return found
