"""Fixtures of the red-team tests: the Telegram adapter's and the operator console's, reused."""

from tests.adapters.conftest import running, settings, telegram, user_factory  # noqa: F401
