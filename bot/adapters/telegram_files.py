"""Turn a Telegram photo or document into an engine ``Upload`` (size checks, download)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from telegram import Document, Message, PhotoSize
from telegram.error import BadRequest, TelegramError

from bot.documents import page_dpi
from bot.domain.catalog import get_catalog
from bot.domain.io import Upload
from bot.domain.limits import MAX_DOWNLOAD_BYTES

_LOGGER = logging.getLogger(__name__)

# The Bot API refuses getFile above 20 MB (https://core.telegram.org/bots/api#getfile).
# Below this, small print on an A4 invoice is no longer readable.
MIN_PAGE_DPI = 150


class FileRefused(Exception):
    """A file the adapter cannot hand to the engine; ``message`` tells the user why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


DOWNLOAD_ATTEMPTS = 3


def largest_photo(sizes: Sequence[PhotoSize]) -> PhotoSize:
    """Pick the largest of the sizes Telegram offers for one photo."""
    return max(sizes, key=lambda size: (size.width * size.height, size.file_size or 0))


def _too_large(size: int | None, language: str) -> FileRefused:
    size_mb = f"{size / (1024 * 1024):.0f}" if size else "> 20"
    return FileRefused(get_catalog(language).text("telegram.too_large", size_mb=size_mb))


async def _download(message: Message, file_id: str, size: int | None, language: str) -> bytes:
    if size is not None and size > MAX_DOWNLOAD_BYTES:
        raise _too_large(size, language)
    for attempt in range(DOWNLOAD_ATTEMPTS):
        try:
            file = await message.get_bot().get_file(file_id)
            return bytes(await file.download_as_bytearray())
        except BadRequest as error:
            # Telegram says "file is too big" when file_size was missing from the update.
            if "too big" in str(error).lower():
                raise _too_large(size, language) from error
            raise FileRefused(get_catalog(language).text("telegram.download_failed")) from error
        except TelegramError as error:  # timeouts, network: try again, then say so
            if attempt + 1 == DOWNLOAD_ATTEMPTS:
                failed = get_catalog(language).text("telegram.download_failed")
                raise FileRefused(failed) from error
            await asyncio.sleep(0.2 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def refuse_early(message: Message, language: str = "fr") -> FileRefused | None:
    """Tell, without downloading, whether the file in ``message`` must be refused."""
    document = message.document
    if document is not None and (document.file_size or 0) > MAX_DOWNLOAD_BYTES:
        return _too_large(document.file_size, language)
    return None


async def read_upload(message: Message, language: str = "fr") -> Upload:
    """Download the photo or document of ``message`` as an ``Upload``.

    Raises:
        FileRefused: the file is over 20 MB or Telegram would not serve it.
    """
    group_id = message.media_group_id
    if message.photo:
        photo = largest_photo(message.photo)
        data = await _download(message, photo.file_id, photo.file_size, language)
        notices: tuple[str, ...] = ()
        dpi = page_dpi(photo.width, photo.height)
        if dpi < MIN_PAGE_DPI:
            notices = (get_catalog(language).text("telegram.photo_small", dpi=round(dpi)),)
        filename = f"photo-{message.message_id}.jpg"
        return Upload(data, filename, "image/jpeg", group_id, notices)
    document: Document | None = message.document
    if document is None:
        raise ValueError("message carries neither a photo nor a document")
    data = await _download(message, document.file_id, document.file_size, language)
    filename = document.file_name or f"fichier-{message.message_id}"
    return Upload(data, filename, document.mime_type, group_id)
