"""Texts that remember where they come from, so a transcript stores keys, not prose.

``Catalog.text`` returns a ``Phrase`` (a ``str`` that also knows its catalog key and
parameters); ``join`` returns a ``Composed`` (a ``str`` that knows its parts). Both are plain
strings to every reader. ``encode`` turns a text into compact JSON-ready data (a key with its
parameters where it can, the words themselves otherwise) and ``render`` reads it back in a
catalog: the console shows a conversation again without the bot's prompts stored word for word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any


class Phrase(str):
    """A catalog text: the words, plus the key and the parameters they were made from."""

    key: str
    params: Mapping[str, object]

    def __new__(cls, text: str, key: str, params: Mapping[str, object]) -> Phrase:
        """Return ``text`` remembering ``key`` and ``params``."""
        phrase = super().__new__(cls, text)
        phrase.key = key
        phrase.params = params
        return phrase

    def __getnewargs__(self) -> tuple[str, str, Mapping[str, object]]:  # type: ignore[override]
        # Pickled with its key: the notices of a conversion come back from a worker process.
        return str(self), self.key, self.params


class Composed(str):
    """Texts joined by ``sep``, remembering the parts."""

    sep: str
    parts: tuple[str, ...]

    def __new__(cls, sep: str, parts: tuple[str, ...]) -> Composed:
        """Return the parts joined by ``sep``."""
        composed = super().__new__(cls, sep.join(parts))
        composed.sep = sep
        composed.parts = parts
        return composed

    def __getnewargs__(self) -> tuple[str, tuple[str, ...]]:  # type: ignore[override]
        return self.sep, self.parts


def join(sep: str, parts: Iterable[str]) -> str:
    """Join the non-empty ``parts`` with ``sep``, keeping them for ``encode``."""
    kept = tuple(part for part in parts if part)
    return kept[0] if len(kept) == 1 else Composed(sep, kept)


def encode(text: str) -> Any:
    """Return ``text`` as JSON-ready data: keys and parameters where known, else the words."""
    if isinstance(text, Composed):
        return {"j": text.sep, "p": [encode(part) for part in text.parts]}
    if isinstance(text, Phrase):
        if not text.params:
            return {"k": text.key}
        return {"k": text.key, "a": {name: _param(value) for name, value in text.params.items()}}
    return str(text)


def _param(value: object) -> Any:
    if isinstance(value, str):
        return encode(value)
    return value if isinstance(value, int | float) else str(value)


Lookup = Callable[..., str]
"""``Catalog.text``: a key and its parameters to words."""


def render(data: Any, lookup: Lookup) -> str:
    """Return the words of encoded ``data``; a key a newer catalog lost shows as the key."""
    if isinstance(data, str):
        return data
    if "j" in data:
        return str(data["j"]).join(render(part, lookup) for part in data.get("p", ()))
    params = {name: render(value, lookup) if isinstance(value, str | dict) else value
              for name, value in dict(data.get("a", {})).items()}
    try:
        return lookup(str(data["k"]), **params)
    except (KeyError, IndexError, ValueError):
        return f"[{data.get('k')}]"
