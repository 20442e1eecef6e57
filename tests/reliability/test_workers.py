"""Two workers on one PostgreSQL store: an album whose items reach both is one turn (issue 15)."""

from __future__ import annotations

from contextlib import AsyncExitStack

from bot.storage.postgres import open_postgres
from tests.adapters.claim_script import POLOGNE
from tests.conftest import new_postgres_database
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.images import make_jpeg
from tests.reliability.conftest import bot_on, state_of
from tests.reliability.test_telegram_faults import replay


async def test_an_albums_items_received_by_two_workers_make_one_document(
        postgres_server, telegram):
    url = await new_postgres_database(postgres_server)
    async with AsyncExitStack() as stack:
        stores = [await open_postgres(url) for _ in range(2)]
        for store in stores:
            stack.push_async_callback(store.close)
        first, second = [await stack.enter_async_context(
            bot_on(store, FakeBotApi(telegram), telegram)()) for store in stores]
        await replay(first, POLOGNE[:23])  # to the documents step, on the first worker
        group = {"media_group_id": "g-both"}
        first_item = first._photo_message(make_jpeg(seed=1), None, None) | group
        second_item = first._photo_message(make_jpeg(seed=2), None, None) | group
        await first._push({"message": first_item})
        await second._push({"message": second_item})  # the next item reaches the other worker
        first.album_wait = 60  # converting two photos, on a busy machine
        await first.wait_for_reply()
        documents = await stores[1].documents("777", 1)
        assert [document.page_count for document in documents] == [2]
        assert "2 page(s)" in "\n".join(first.texts)
        assert len((await state_of(stores[0])).draft.documents) == 1
