"""Migrations from an empty database to head (and back) on SQLite and on PostgreSQL."""

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import migrate
from kycrail.config import to_async_database_url
from kycrail.db import create_engine, metadata
from tests.conftest import POSTGRES_URL

EXPECTED_TABLES = {table.name for table in metadata.sorted_tables}


async def _table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    return names - {"alembic_version"}


async def _schema_differences(engine: AsyncEngine) -> list[object]:
    """What Alembic's autogenerate would change to make the database match the code's tables."""
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )


def _revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


async def _assert_empty_to_head_and_back(engine: AsyncEngine) -> None:
    assert await _table_names(engine) == set()
    assert not await migrate.is_at_head(engine)
    applied = await migrate.upgrade(engine)
    assert applied == migrate.MigrationReport(applied=tuple(_revisions()), current=_revisions()[-1])
    assert await _table_names(engine) == EXPECTED_TABLES
    assert await migrate.is_at_head(engine)
    assert await _schema_differences(engine) == []
    # A second run is a no-op, and says so.
    assert await migrate.upgrade(engine) == migrate.MigrationReport(applied=(), current=_revisions()[-1])
    await migrate.downgrade(engine, "base")
    assert await _table_names(engine) == set()
    assert (await migrate.upgrade(engine, _revisions()[2])).applied == tuple(_revisions()[:3])
    assert (await migrate.upgrade(engine)).applied == tuple(_revisions()[3:])
    assert await migrate.is_at_head(engine)


@pytest.mark.sqlite_only
async def test_sqlite_from_empty_to_head(tmp_path: Path) -> None:
    engine = create_engine(to_async_database_url(f"sqlite:///{tmp_path / 'empty.db'}"))
    try:
        await _assert_empty_to_head_and_back(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def empty_postgres_database() -> AsyncIterator[str]:
    """A brand-new PostgreSQL database on the test server, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("KYCRAIL_TEST_DATABASE_URL is not set")
    base = make_url(to_async_database_url(POSTGRES_URL))
    name = f"kycrail_migration_{secrets.token_hex(4)}"
    admin = create_engine(base.render_as_string(hide_password=False), pool_size=1)
    admin = admin.execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def test_postgres_from_empty_to_head(empty_postgres_database: str) -> None:
    engine = create_engine(empty_postgres_database, pool_size=1)
    try:
        await _assert_empty_to_head_and_back(engine)
    finally:
        await engine.dispose()
