"""Issue 18 (14): after an erasure no byte of the erased values remains in the database files."""

from __future__ import annotations

from bot.domain.io import Text
from bot.service import ConversationService
from bot.storage.sqlite import open_repository
from tests import claims
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play

NAME = "Zorglubina"


def _left(path) -> int:
    """Count the erased name in the database file and its WAL, whatever the case."""
    found = 0
    for part in (path, path.with_name(path.name + "-wal")):
        if part.exists():
            found += part.read_bytes().lower().count(NAME.lower().encode())
    return found


async def test_supprimer_leaves_no_byte_of_the_claim_in_the_files(tmp_path):
    path = tmp_path / "bot.sqlite3"
    repository = await open_repository(path)
    try:
        user = ScriptedUser(ConversationService(repository))
        script = [(kind, NAME if value == "NATHALIE" else value)
                  for kind, value in claims.POLOGNE]
        await play(user, script, until="stay.country")
        await user.service.handle(user.chat_id, Text(f"{NAME} encore"))  # typed, indexed
        assert _left(path) > 0  # the test can see the name while it is stored
        await user.send("/supprimer")
        await user.press("nav:erase_yes")
        assert _left(path) == 0
    finally:
        await repository.close()
