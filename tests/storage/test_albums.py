"""Album items wait in the store, whichever worker received them (issue 15, both backends)."""

from __future__ import annotations

import time

from bot.domain.io import Upload
from bot.storage.postgres import open_postgres
from bot.storage.repository import AlbumItem
from tests.conftest import new_postgres_database

T0 = time.time()  # handled items are forgotten a day after they came


def photo(number: int) -> AlbumItem:
    return AlbumItem(number, Upload(b"jpeg %d" % number, f"p{number}.jpg", "image/jpeg", "g1",
                                    ("compressée",)))


async def test_an_album_is_complete_once_quiet_and_downloaded(repository):
    await repository.hold_album_item("7", "g1", photo(1), T0)
    await repository.hold_album_item("7", "g1", AlbumItem(2, None), T0 + 0.5)  # downloading
    assert await repository.held_album("g1", T0 + 10) is None
    await repository.hold_album_item("7", "g1", photo(2), T0 + 9)  # its arrival time stays
    assert await repository.held_album("g1", T0 + 0.4) is None  # item 2 came after
    items = await repository.held_album("g1", T0 + 10)
    assert items == [photo(1), photo(2)]
    await repository.hold_album_item("7", "g1", photo(1), T0 + 20)  # redelivered: kept once
    assert await repository.held_album("g1", T0 + 10) == items
    assert await repository.waiting_albums(T0 + 1) == [("g1", "7")]
    assert await repository.waiting_albums(T0 + 1, chat_id="8") == []
    await repository.drop_album_items("g1", [1, 2])
    assert await repository.held_album("g1", None) == []
    await repository.hold_album_item("7", "g1", photo(2), T0 + 30)  # redelivered once handled
    assert await repository.held_album("g1", None) == []
    assert await repository.waiting_albums(T0 + 100) == []


async def test_a_refused_item_is_held_with_its_reason(repository):
    await repository.hold_album_item("7", "g2", AlbumItem(1, None), T0)
    await repository.hold_album_item("7", "g2", AlbumItem(1, None, "Fichier trop lourd."), T0)
    assert await repository.held_album("g2", None) == [AlbumItem(1, None, "Fichier trop lourd.")]


async def test_erasing_a_chat_erases_its_held_items(repository):
    await repository.hold_album_item("7", "g3", photo(1), T0)
    await repository.erase_chat("7")
    assert await repository.held_album("g3", None) == []


async def test_items_held_by_two_workers_make_one_album(postgres_server):
    url = await new_postgres_database(postgres_server)
    first, second = await open_postgres(url), await open_postgres(url)
    try:
        await first.hold_album_item("7", "g1", photo(1), T0)
        await second.hold_album_item("7", "g1", photo(2), T0 + 0.2)
        assert await first.held_album("g1", T0 + 0.1) is None  # the second's came later
        assert await second.held_album("g1", T0 + 1) == [photo(1), photo(2)]
    finally:
        await first.close()
        await second.close()
