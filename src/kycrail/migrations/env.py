"""Alembic environment. ``kycrail.migrate`` hands it an open connection; the ``alembic`` command
line (for writing new revisions) gets one from the settings."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from kycrail.config import load_settings
from kycrail.db import create_engine, metadata, migration_transaction
from kycrail.tables import load_all_tables

load_all_tables()
# Held for the migration's transaction, so API processes starting together migrate one at a time.
_MIGRATION_LOCK_ID = 7_250_120_401


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        context.run_migrations()


async def _run_with_own_engine() -> None:
    engine = create_engine(load_settings().database_url)
    try:
        async with migration_transaction(engine) as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


given_connection = context.config.attributes.get("connection")
if given_connection is not None:
    _run(given_connection)
else:
    asyncio.run(_run_with_own_engine())
