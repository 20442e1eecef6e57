"""Errors of the documents package.

    Exception
     └── DocumentRejected   bad input: the user must send something else (code + French message)
"""

from __future__ import annotations

from bot.domain.catalog import get_catalog


class DocumentRejected(Exception):
    """Refuse an input file with a stable ``code`` and a French message saying what to do."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.key = f"documents.error.{code}"
        self.params = params
        self.message = self.text("fr")
        super().__init__(self.message)

    def text(self, language: str = "fr") -> str:
        """Return the message in ``language`` (adapters may prefer English)."""
        return get_catalog(language).text(self.key, **self.params)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a worker process (``isolation``), rebuilt in the bot's: code and params.
        return _rejected, (self.code, self.params)


def _rejected(code: str, params: dict[str, object]) -> DocumentRejected:
    return DocumentRejected(code, **params)
