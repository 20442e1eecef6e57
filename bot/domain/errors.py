"""Typed domain errors. Each becomes a French re-prompt; no earlier answer is lost.

    InvalidAnswer          the typed answer cannot be used for this question
"""

from __future__ import annotations


class InvalidAnswer(Exception):
    """An answer that cannot be used; ``key`` names the catalog text that says what to type.

    ``suggestion`` is a corrected value the user may accept with one button
    (e.g. a shortened « Contexte des soins », VAL-08).
    """

    def __init__(self, key: str, /, suggestion: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        self.suggestion = suggestion
