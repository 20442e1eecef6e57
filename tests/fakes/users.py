"""A user who talks to the engine directly (no Telegram), reading like a script."""

from __future__ import annotations

from bot.domain.intents import slash_commands
from bot.domain.io import Album, Button, Command, Press, Reply, Text, Upload
from bot.domain.sender import Sender
from bot.service import ConversationService


class ScriptedUser:
    """Send inputs to the service as one chat and keep what it answered."""

    def __init__(self, service: ConversationService, chat_id: str = "chat-1", *,
                 sender: Sender | None = None) -> None:
        self.service = service
        self.chat_id = chat_id
        self.sender = sender
        """Who writes, as an adapter would say it (None: as the service's own tests)."""
        self.replies: list[Reply] = []
        self.turn: list[Reply] = []
        self._event = 0

    async def _send(self, user_input: object, event_id: str | None = None) -> list[Reply]:
        self.turn = await self.service.handle(self.chat_id, user_input, event_id=event_id,  # type: ignore[arg-type]
                                              sender=self.sender)
        self.replies += self.turn
        return self.turn

    async def send(self, text: str, *, event_id: str | None = None) -> list[Reply]:
        """Type a message (``/word`` is a command)."""
        word = text[1:].split()[0].lower() if text.startswith("/") else ""
        if word in slash_commands():
            return await self._send(Command(slash_commands()[word]), event_id)
        return await self._send(Text(text), event_id)

    async def press(self, payload: str, *, event_id: str | None = None) -> list[Reply]:
        """Press a button by its payload."""
        return await self._send(Press(payload), event_id)

    async def choose(self, label_part: str) -> list[Reply]:
        """Press the button of the last turn whose label contains ``label_part``."""
        for button in self.buttons:
            if label_part.casefold() in button.label.casefold():
                return await self.press(button.payload)
        labels = [b.label for b in self.buttons]
        raise AssertionError(f"no button {label_part!r} in {labels}")

    async def upload(self, data: bytes, filename: str = "photo.jpg") -> list[Reply]:
        """Send a file."""
        return await self._send(Upload(data, filename=filename))

    async def album(self, items: list[bytes]) -> list[Reply]:
        """Send several photos together."""
        return await self._send(Album(tuple(Upload(d, filename=f"p{i}.jpg")
                                            for i, d in enumerate(items))))

    @property
    def text(self) -> str:
        """Return every text of the last turn, joined."""
        return "\n".join(r.text for r in self.turn)

    @property
    def last_text(self) -> str:
        """Return the text of the last reply."""
        return self.turn[-1].text if self.turn else ""

    @property
    def buttons(self) -> tuple[Button, ...]:
        """Return the buttons of the last turn's last reply that has some."""
        return next((r.buttons for r in reversed(self.turn) if r.buttons), ())

    @property
    def payloads(self) -> list[str]:
        """Return the payloads of those buttons."""
        return [b.payload for b in self.buttons]
