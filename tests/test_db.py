from pathlib import Path

import pytest
from sqlalchemy import text

from kycrail.config import to_async_database_url
from kycrail.db import create_engine, write_transaction


@pytest.mark.sqlite_only
async def test_sqlite_runs_in_wal_mode_with_foreign_keys(fresh_sqlite_url: str) -> None:
    engine = create_engine(to_async_database_url(fresh_sqlite_url))
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await engine.dispose()


@pytest.mark.sqlite_only
async def test_sqlite_enforces_foreign_keys(fresh_sqlite_url: str) -> None:
    engine = create_engine(to_async_database_url(fresh_sqlite_url))
    try:
        with pytest.raises(Exception, match="FOREIGN KEY"):
            async with write_transaction(engine) as connection:
                await connection.execute(
                    text(
                        "INSERT INTO api_keys (prefix, tenant_id, key_hash, role, created_at) "
                        "VALUES ('kr_123456789', 'tenant_missing', 'x', 'api', '2026-01-01')"
                    )
                )
    finally:
        await engine.dispose()


async def test_write_transaction_rolls_back_on_error(database_url: str) -> None:
    engine = create_engine(to_async_database_url(database_url))

    async def insert_then_fail() -> None:
        async with write_transaction(engine) as connection:
            await connection.execute(
                text("INSERT INTO tenants (id, name, created_at) VALUES ('t1', 'gone', CURRENT_TIMESTAMP)")
            )
            raise RuntimeError("abort")

    try:
        with pytest.raises(RuntimeError):
            await insert_then_fail()
        async with engine.connect() as connection:
            count = (await connection.execute(text("SELECT count(*) FROM tenants"))).scalar()
        assert count == 0
    finally:
        await engine.dispose()


@pytest.mark.sqlite_only
def test_sqlite_file_directory_is_created(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "dir" / "kycrail.db"
    create_engine(to_async_database_url(f"sqlite:///{target}"))
    assert target.parent.is_dir()
