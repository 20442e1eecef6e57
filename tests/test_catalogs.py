"""Every French message catalog has an English twin with the same keys and placeholders.

One case per ``config/messages/<module>.fr.toml``; the twin is ``<module>.en.toml``.
"""

from __future__ import annotations

import string
import tomllib
from pathlib import Path

import pytest

from bot.domain.catalog import CONFIG_DIR, _flatten

MESSAGES_DIR = CONFIG_DIR / "messages"
FRENCH_FILES = sorted(MESSAGES_DIR.glob("*.fr.toml"))
MODULES = [path.name.removesuffix(".fr.toml") for path in FRENCH_FILES]


def _texts(path: Path) -> dict[str, str]:
    """Return the flattened ``dotted.key -> text`` of one catalog file."""
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    out: dict[str, str] = {}
    _flatten("", table, out)
    return out


def _placeholders(text: str) -> set[str]:
    """Return the names of the ``{placeholders}`` of ``text`` (``{a.b}`` counts as ``a``)."""
    names: set[str] = set()
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is not None:
            names.add(field.split(".", 1)[0].split("[", 1)[0])
    return names


def _pair(module: str) -> tuple[dict[str, str], dict[str, str]]:
    english = MESSAGES_DIR / f"{module}.en.toml"
    assert english.is_file(), f"{module}.fr.toml has no English twin {english.name}"
    return _texts(MESSAGES_DIR / f"{module}.fr.toml"), _texts(english)


def test_there_are_catalogs() -> None:
    assert FRENCH_FILES, f"no *.fr.toml in {MESSAGES_DIR}"


@pytest.mark.parametrize("module", MODULES)
def test_same_keys(module: str) -> None:
    french, english = _pair(module)
    missing_en = sorted(french.keys() - english.keys())
    missing_fr = sorted(english.keys() - french.keys())
    assert not missing_en, f"keys missing in {module}.en.toml: {missing_en}"
    assert not missing_fr, f"keys missing in {module}.fr.toml: {missing_fr}"


@pytest.mark.parametrize("module", MODULES)
def test_same_placeholders(module: str) -> None:
    french, english = _pair(module)
    differing = {
        key: (sorted(_placeholders(french[key])), sorted(_placeholders(english[key])))
        for key in french.keys() & english.keys()
        if _placeholders(french[key]) != _placeholders(english[key])
    }
    assert not differing, f"placeholders differ in {module} (fr, en): {differing}"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("module", MODULES)
def test_texts_format_and_are_not_empty(module: str, language: str) -> None:
    path = MESSAGES_DIR / f"{module}.{language}.toml"
    assert path.is_file(), f"{path.name} is missing"
    broken: dict[str, str] = {}
    for key, text in _texts(path).items():
        if not text.strip():
            broken[key] = "empty"
            continue
        try:
            text.format(**{name: "x" for name in _placeholders(text)})
        except (IndexError, KeyError, ValueError, AttributeError) as exc:
            broken[key] = f"{type(exc).__name__}: {exc}"
    assert not broken, f"bad texts in {path.name}: {broken}"
