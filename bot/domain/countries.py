"""Countries by ISO code: typed names in many languages, zones, display names.

Names come from pycountry's ISO 3166 data and its translations (French, English and the
languages of the countries people most travel to), plus ``config/countries.toml`` aliases.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import pycountry
from rapidfuzz import fuzz, process

from bot.domain.catalog import load_toml
from bot.domain.text import fold

_NAME_LANGUAGES = ("fr", "en", "de", "es", "it", "pt", "pl", "nl", "cs", "sv", "da", "el",
                   "hu", "ro", "fi", "hr", "sk", "sl", "bg", "tr", "ar", "ru")
_FUZZY_THRESHOLD = 85


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


@dataclass(frozen=True)
class Country:
    """A country or territory, kept by its ISO code."""

    code: str
    name_fr: str

    @property
    def zone(self) -> Zone:
        """Return the zone of this country."""
        return zone_of(self.code)

    @property
    def label(self) -> str:
        """Return the name in capitals, as the form's recap shows it (FRM-08)."""
        return self.name_fr.upper()


def _translator(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@cache
def _data() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Build (zone by code, display name by code, code by folded name) once."""
    config = load_toml("countries.toml")
    zones = {code: zone for zone, codes in config["zones"].items() for code in codes}
    french = _translator("fr")
    display: dict[str, str] = {}
    index: dict[str, str] = {}
    translators = [_translator(lang) for lang in _NAME_LANGUAGES]
    for country in pycountry.countries:
        code = country.alpha_2
        display[code] = config["display"].get(code, french.gettext(country.name))
        names = {country.name, getattr(country, "common_name", country.name),
                 getattr(country, "official_name", country.name), code, country.alpha_3}
        names |= {t.gettext(country.name) for t in translators}
        for name in names:
            for variant in (name, name.split(",")[0], name.split("(")[0]):
                index.setdefault(fold(variant), code)
    display["XK"] = "Kosovo"
    for alias, code in config["aliases"].items():
        index[fold(alias)] = code
    for code, name in config["display"].items():
        index.setdefault(fold(name), code)
    return zones, display, index


def zone_of(code: str) -> Zone:
    """Return the zone of an ISO code."""
    return Zone(_data()[0].get(code, Zone.OUTSIDE.value))


def country(code: str) -> Country:
    """Return the country with ISO code ``code``."""
    return Country(code, _data()[1].get(code, code))


def find_country(typed: str) -> Country | None:
    """Return the country a typed name or code designates, or None when unsure."""
    key = fold(typed)
    if not key:
        return None
    index = _data()[2]
    if key in index:
        return country(index[key])
    if len(key) <= 3:
        return None  # an unknown short code is never guessed
    best = process.extractOne(key, list(index), scorer=fuzz.ratio)
    if best is None or best[1] < _FUZZY_THRESHOLD:
        return None
    return country(index[best[0]])


def suggest_countries(typed: str, limit: int = 3) -> list[Country]:
    """Return the closest countries to a typed name, to offer as buttons."""
    index = _data()[2]
    found: list[Country] = []
    for name, _score, _ in process.extract(fold(typed), list(index), scorer=fuzz.WRatio,
                                           limit=limit * 4):
        candidate = country(index[name])
        if candidate not in found:
            found.append(candidate)
        if len(found) == limit:
            break
    return found
