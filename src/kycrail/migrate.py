"""Apply the Alembic migrations shipped inside the package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.db import migration_transaction
from kycrail.vault.keyring import KeyRing

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@dataclass(frozen=True, slots=True)
class MigrationReport:
    """What an upgrade did: the revisions it applied (oldest first; none when the database was up to
    date) and the revision the database is at now (None: an empty database, at base)."""

    applied: tuple[str, ...]
    current: str | None


def _applied_between(before: str | None, after: str | None) -> tuple[str, ...]:
    if after is None or after == before:
        return ()
    script = ScriptDirectory.from_config(alembic_config())
    newest_first = script.iterate_revisions(after, before or "base")
    return tuple(reversed([revision.revision for revision in newest_first]))


def _upgrade(
    connection: Connection, revision: str, key_ring: Callable[[], KeyRing] | None
) -> tuple[MigrationReport, bool]:
    """The report, and True when a migration replaced plaintext (0007): its old copies are then
    scrubbed."""
    config = alembic_config()
    config.attributes["connection"] = connection
    config.attributes["key_ring"] = key_ring  # 0007 seals the rows earlier versions wrote, if any
    before = MigrationContext.configure(connection).get_current_revision()
    command.upgrade(config, revision)
    after = MigrationContext.configure(connection).get_current_revision()
    report = MigrationReport(applied=_applied_between(before, after), current=after)
    return report, bool(config.attributes.get(PLAINTEXT_REPLACED))


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def _is_at_head(connection: Connection) -> bool:
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    return set(MigrationContext.configure(connection).get_current_heads()) == heads


async def upgrade(
    engine: AsyncEngine, revision: str = "head", *, key_ring: Callable[[], KeyRing] | None = None
) -> MigrationReport:
    """Apply the migrations up to ``revision``; says which it applied. ``key_ring``: where the keys to
    seal existing rows with come from, asked only if there are rows to seal (by default, the settings'
    key ring)."""
    # One write transaction: on SQLite and PostgreSQL alike a failed migration leaves nothing behind.
    async with migration_transaction(engine) as connection:
        report, replaced = await connection.run_sync(_upgrade, revision, key_ring)
    if replaced:
        await _scrub(engine)
    return report


def migration_key_ring(config: Config | None) -> KeyRing:
    """The key ring a data migration opens or seals customers with: the one ``upgrade`` was given, or
    the settings' (``alembic`` run by hand)."""
    given = config.attributes.get("key_ring") if config is not None else None
    if given is not None:
        ring: KeyRing = given()
        return ring
    from kycrail.config import load_settings
    from kycrail.vault.keyring import ring_from_settings

    return ring_from_settings(load_settings())


# Set by a migration that replaced plaintext personal data with ciphertext.
PLAINTEXT_REPLACED = "plaintext_replaced"
_REWRITTEN = ("customers", "documents", "idempotency_keys", "customer_events", "webhook_attempts")


async def _scrub(engine: AsyncEngine) -> None:
    """Rewrite the tables a migration sealed, so that no old version of a row (PostgreSQL's dead
    tuples and dropped columns, SQLite's free pages and write-ahead log) keeps the plaintext. Outside
    the migration's transaction: VACUUM cannot run inside one. Backups taken before still hold it."""
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text(f"VACUUM FULL {', '.join(_REWRITTEN)}"))
        else:  # kycrail's SQLite connections run outside a transaction unless they write
            await connection.exec_driver_sql("VACUUM")
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with migration_transaction(engine) as connection:
        await connection.run_sync(_downgrade, revision)


async def is_at_head(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        return await connection.run_sync(_is_at_head)
