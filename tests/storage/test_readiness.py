"""/readyz says ready only when the store answers with every migration run (both backends)."""

from __future__ import annotations


async def test_a_store_behind_its_migrations_is_not_ready(repository):
    assert await repository.schema_current()
    if repository.database.dialect.name == "sqlite":
        await repository.database.execute("PRAGMA user_version = 2")
    else:
        await repository.database.execute(
            "DELETE FROM schema_migrations WHERE version = (SELECT max(version)"
            " FROM schema_migrations)")
    assert not await repository.schema_current()
