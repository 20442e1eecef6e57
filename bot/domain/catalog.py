"""Message catalogs: every user-facing text lives in ``config/messages/*.<lang>.toml``.

Each file holds nested tables; keys are joined with dots (``step.stay.country.prompt``).
Several files per language are merged so that each module owns its own texts.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from bot.domain.phrases import Phrase


def _config_dir() -> Path:
    """Return config/: inside the package once installed from the wheel, else the checkout's."""
    # The wheel ships the top-level config/ as bot/config (pyproject.toml, hatch ``sources``);
    # in the checkout (editable install, tests) it stays where the layout puts it.
    packaged = Path(str(resources.files("bot"))) / "config"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "config"


CONFIG_DIR = _config_dir()
DEFAULT_LANGUAGE = "fr"


def load_toml(name: str) -> dict[str, Any]:
    """Read ``config/<name>`` (TOML)."""
    with (CONFIG_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


class Catalog:
    """Texts of one language, looked up by dotted key and formatted with ``str.format``."""

    def __init__(self, language: str, texts: Mapping[str, str]) -> None:
        self.language = language
        self._texts = dict(texts)

    def keys(self) -> set[str]:
        """Return every key this catalog defines."""
        return set(self._texts)

    def has(self, key: str) -> bool:
        """Tell whether ``key`` is defined."""
        return key in self._texts

    def text(self, key: str, /, **params: object) -> str:
        """Return the text for ``key``, formatted with ``params`` (a ``Phrase``)."""
        template = self._texts[key]
        return Phrase(template.format(**params) if params else template, key, params)


@cache
def get_catalog(language: str = DEFAULT_LANGUAGE) -> Catalog:
    """Load and merge every ``config/messages/*.<language>.toml`` file."""
    texts: dict[str, str] = {}
    for path in sorted((CONFIG_DIR / "messages").glob(f"*.{language}.toml")):
        with path.open("rb") as handle:
            _flatten("", tomllib.load(handle), texts)
    return Catalog(language, texts)
