"""The operator console: stored conversations in a web page (and a terminal), read-only.

Sign-in with accounts from ``OPERATOR_ACCOUNTS_FILE``, an audit trail of every view,
download, export and erasure. ``build_operator_app`` returns the ASGI app (served under
``/operator``); ``operator_server`` runs it beside long polling.
"""

from bot.operator.accounts import OperatorSettings
from bot.operator.app import build_operator_app, operator_server

__all__ = ["OperatorSettings", "build_operator_app", "operator_server"]
