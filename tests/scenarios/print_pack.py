"""Print the pack of the Afrique du Sud claim, as the user receives it (not a test).

Plays tests/claims.AFRIQUE_DU_SUD as of 01/06/2025 with two receipt photos (a facture and a
payment proof) on a temporary SQLite, then prints each text of the pack and the name and size
of each attached file.

Usage:
    python -m tests.scenarios.print_pack
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bot.service import ConversationService
from bot.storage.sqlite import open_repository
from tests.conftest import Clock
from tests.fakes.users import ScriptedUser
from tests.scenarios.conversation import AS_OF_2025, page_count, south_africa_pack


async def _pack_lines() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        repository = await open_repository(Path(folder) / "bot.sqlite3")
        try:
            user = ScriptedUser(ConversationService(repository, clock=Clock(AS_OF_2025)))
            pack = await south_africa_pack(user)
        finally:
            await repository.close()
    lines: list[str] = []
    for reply in pack:
        lines += ["-" * 72, reply.text]
        lines += [f"[bouton] {button.label}" for button in reply.buttons]
        lines += [f"[fichier] {a.filename} · {len(a.data)} octets · {page_count(a.data)} page(s)"
                  for a in reply.attachments]
    return lines


def main() -> int:
    """Print the pack; return 0."""
    sys.stdout.write("\n".join(asyncio.run(_pack_lines())) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
