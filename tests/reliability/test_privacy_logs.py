"""A whole claim leaves no personal data in the logs (names, dates, amounts, free text)."""

from __future__ import annotations

import logging

from tests import claims
from tests.states.helpers import play

TYPED_VALUES = ["NATHALIE", "Nathalie", "07/10/1985", "1985-10-07", "Urgence médicale",
                "200,50", "200.50", "12.08.2020", "2020-08-12", "Polska"]


async def test_whole_claim_logs_no_typed_value(user, caplog):
    caplog.set_level(logging.INFO)
    await play(user, claims.POLOGNE)
    for _action, value in claims.FINISH_WITHOUT_FILES:
        await user.press(value)
    await user.send("200,50", event_id="dup")
    await user.send("200,50", event_id="dup")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    logged += "\n".join(str(record.args) for record in caplog.records)
    for value in TYPED_VALUES:
        assert value not in logged, value
