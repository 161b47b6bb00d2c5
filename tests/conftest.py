"""Shared fixtures: a fresh, migrated database per test, the app over ASGI, and API keys.

The database is SQLite (a real file) unless KYCRAIL_TEST_DATABASE_URL names a PostgreSQL
database, in which case every database-backed test runs there instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import migrate
from kycrail.app import create_app
from kycrail.config import Settings, load_settings, to_async_database_url
from kycrail.db import create_engine, metadata
from kycrail.tables import load_all_tables
from kycrail.tenants import service
from kycrail.tenants.keys import Role

load_all_tables()
POSTGRES_URL = os.environ.get("KYCRAIL_TEST_DATABASE_URL")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


async def _migrate(url: str) -> None:
    engine = create_engine(to_async_database_url(url))
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy, which is much faster than migrating again."""
    path = tmp_path_factory.mktemp("template") / "kycrail.db"
    asyncio.run(_migrate(sqlite_url(path)))
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    assert POSTGRES_URL
    asyncio.run(_migrate(POSTGRES_URL))
    return POSTGRES_URL


@pytest.fixture
def fresh_sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "kycrail.db"
    shutil.copyfile(sqlite_template, path)
    return sqlite_url(path)


async def _truncate_all(url: str) -> None:
    engine = create_engine(to_async_database_url(url))
    names = ", ".join(table.name for table in metadata.sorted_tables)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {names} CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty database: PostgreSQL when configured (unless the test is sqlite_only).

    A plain fixture on purpose: it runs before the test's event loop starts, so it may use asyncio.run.
    """
    if POSTGRES_URL and request.node.get_closest_marker("sqlite_only") is None:
        url: str = request.getfixturevalue("postgres_migrated")
        asyncio.run(_truncate_all(url))
        return url
    fresh: str = request.getfixturevalue("fresh_sqlite_url")
    return fresh


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(database_url=database_url)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def engine(app: FastAPI) -> AsyncEngine:
    resolved: AsyncEngine = app.state.resources.engine
    return resolved


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as http_client:
        yield http_client


KeyFactory = Callable[..., Awaitable[str]]


@pytest.fixture
def make_key(engine: AsyncEngine) -> KeyFactory:
    """Create a key (and its tenant if new) through the real service; returns the secret."""

    async def factory(tenant: str = "acme", role: Role = Role.api) -> str:
        return (await service.create_key(engine, tenant, role)).secret

    return factory


@pytest.fixture
async def api_key(make_key: KeyFactory) -> str:
    return await make_key()
