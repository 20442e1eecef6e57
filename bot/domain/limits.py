"""The limits of the service and of Telegram, each defined once, with where it comes from."""

from __future__ import annotations

MAX_FILES = 10
"""FIL-01: at most 10 files in step 4 « Document(s) »."""

MAX_PDF_BYTES = 500_000
"""FIL-03: « ne doit pas excéder 500 ko », read as 1000-byte ko (the strict reading)."""

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
"""Telegram's Bot API gives a bot files of 20 MB at most (getFile); larger are refused early."""

CONTEXT_MAX_LENGTH = 180
"""FRM-04, VAL-08: « Précisez la raison des soins » takes 180 characters at most."""
