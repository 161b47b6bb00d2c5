"""Apply the Alembic migrations shipped inside the package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.db import write_transaction
from kycrail.vault.keyring import KeyRing

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection, revision: str, key_ring: Callable[[], KeyRing] | None) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    config.attributes["key_ring"] = key_ring  # 0007 seals the rows earlier versions wrote, if any
    command.upgrade(config, revision)


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def _is_at_head(connection: Connection) -> bool:
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    return set(MigrationContext.configure(connection).get_current_heads()) == heads


async def upgrade(
    engine: AsyncEngine, revision: str = "head", *, key_ring: Callable[[], KeyRing] | None = None
) -> None:
    """``key_ring``: where the keys to seal existing rows with come from, asked only if there are rows
    to seal (by default, the settings' key ring)."""
    # One write transaction: on SQLite and PostgreSQL alike a failed migration leaves nothing behind.
    async with write_transaction(engine) as connection:
        await connection.run_sync(_upgrade, revision, key_ring)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with write_transaction(engine) as connection:
        await connection.run_sync(_downgrade, revision)


async def is_at_head(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        return await connection.run_sync(_is_at_head)
