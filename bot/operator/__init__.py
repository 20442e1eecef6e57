"""The operator console: stored conversations in a web page (and a terminal), read-only.

Sign-in with accounts from ``OPERATOR_ACCOUNTS_FILE``, an audit trail of every view,
download, export and erasure. ``build_operator_app`` returns the ASGI app (served under
``/operator``); ``operator_server`` runs it beside long polling.
"""

from typing import Any

from bot.operator.accounts import OperatorSettings

__all__ = ["OperatorSettings", "build_operator_app", "operator_server"]


def __getattr__(name: str) -> Any:
    """Import the web console only when it is used: the bot starts faster without it."""
    if name in ("build_operator_app", "operator_server"):
        from bot.operator import app

        return getattr(app, name)
    raise AttributeError(name)
