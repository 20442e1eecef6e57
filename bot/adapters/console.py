"""Terminal chat: the default when no Telegram token is set. Same engine, same SQLite file.

Choices are shown numbered (type the number); a file is attached by typing its path;
files sent back are written under ``./out/<chat>/``, which holds the files last sent only: a
new set replaces the one before, and erasing the chat's data (``/supprimer``) removes them.
The live checklist of step 4 is simply printed again when it changes. Messages posted for
the chat from elsewhere (an agent's reply, a reminder: ``bot.outbox``) are printed as they come.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.domain.catalog import get_catalog
from bot.domain.intents import slash_commands
from bot.domain.io import Button, Command, Press, Reply, Text, Upload, UserInput
from bot.domain.sender import Channel, Sender
from bot.service import ConversationService

OUTPUT_DIR = Path("out")
POSTS_POLL_SECONDS = 1.0
"""How often messages posted for the chat (an agent, a reminder) are looked for."""
TERMINAL = Sender(Channel.TERMINAL)


def parse_line(line: str, buttons: tuple[Button, ...]) -> UserInput | None:
    """Translate one typed line into an input (None for an empty line)."""
    text = line.strip()
    if not text:
        return None
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        return Press(buttons[int(text) - 1].payload)
    word = text[1:].split()[0].lower() if text.startswith("/") and text[1:].strip() else ""
    if word in slash_commands():
        return Command(slash_commands()[word])
    path = Path(text.strip("'\"")).expanduser()
    try:
        if path.suffix and path.is_file():
            return Upload(path.read_bytes(), filename=path.name)
    except OSError:  # a long answer is no file name: it is an answer
        pass
    return Text(text)


def render(reply: Reply, out: TextIO, chat_id: str) -> None:
    """Print a reply: its text, numbered buttons, and where its files were written."""
    # An adviser's message is labelled in its text (« 👤 Conseiller·ère… »), never as the bot.
    print(f"\n{reply.text}" if reply.person else f"\n🤖 {reply.text}", file=out)
    for number, button in enumerate(reply.buttons, start=1):
        # A copy button has nothing to press here: its value is printed, ready to select.
        shown = f"📋 {button.label}" if button.copy is not None else f"{number}. {button.label}"
        print(f"   {shown}", file=out)
    folder = OUTPUT_DIR / chat_id
    if reply.erased or reply.attachments:
        # Erased data leaves no copy here; a new set of files leaves none of an older claim.
        shutil.rmtree(folder, ignore_errors=True)
    for attachment in reply.attachments:
        target = folder / attachment.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(attachment.data)
        target.chmod(0o600)  # health data: readable by this account only
        print(f"   📎 {target}", file=out)


async def run_console(
    service: ConversationService,
    *,
    chat_id: str = "console",
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> None:
    """Chat in the terminal until end of input."""
    source, out = stdin or sys.stdin, stdout or sys.stdout
    print(get_catalog().text("console.intro"), file=out)
    # Numbers typed next refer to the last buttons shown (by a turn or a post) only.
    shown: list[tuple[Button, ...]] = [()]

    def show(replies: list[Reply]) -> None:
        shown[0] = next((r.buttons for r in reversed(replies) if r.buttons), shown[0])
        for reply in replies:
            render(reply, out, chat_id)

    posts = asyncio.get_running_loop().create_task(_show_posts(service, chat_id, show, out))
    pending: UserInput | None = Command("start")
    try:
        while True:
            if pending is not None:
                try:
                    replies = await service.handle(chat_id, pending, sender=TERMINAL)
                except Exception:  # the engine failed: apologise, the saved state is intact
                    replies = [Reply(get_catalog().text("error.internal"))]
                shown[0] = ()
                show(replies)
            print("\n> ", end="", file=out, flush=True)
            line = await asyncio.to_thread(source.readline)
            if not line:
                print(get_catalog().text("console.bye"), file=out)
                return
            pending = parse_line(line, shown[0])
    finally:
        posts.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await posts


async def _show_posts(service: ConversationService, chat_id: str,
                      show: Callable[[list[Reply]], None], out: TextIO) -> None:
    """Print what was posted for the chat (an agent, a reminder) as it comes."""
    while True:
        await asyncio.sleep(POSTS_POLL_SECONDS)
        with contextlib.suppress(Exception):  # the store is busy or closing: next round
            for entry in await service.outbox.take(chat_id):
                show(list(entry.replies))
                print("\n> ", end="", file=out, flush=True)
                await service.outbox.done(entry)
