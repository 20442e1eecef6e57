"""Fixtures of the red-team tests: the Telegram adapter's and the operator console's, reused."""

from tests.adapters.conftest import running, settings, telegram, user_factory  # noqa: F401
from tests.operator.conftest import (  # noqa: F401
    accounts,
    admin,
    client,
    console_store,
    limiter_clock,
    operator_settings,
    seeded_postgres,
    seeded_template,
    sqlite_console_store,
    viewer,
)
from tests.operator.test_browser import browser, console_url, page  # noqa: F401
from tests.security.console import app, start_console  # noqa: F401
