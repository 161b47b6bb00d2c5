"""Shared fixtures: a fresh, migrated database per test, the app over ASGI, and API keys.

The database is SQLite (a real file) unless KYCRAIL_TEST_DATABASE_URL names a PostgreSQL
database, in which case every database-backed test runs there instead. Run in parallel (pytest-xdist,
``make test-fast``), each worker process has a PostgreSQL database of its own beside that one, made for
the run and dropped after it: tests empty the database they use.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies import models as fastapi_models
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kycrail import migrate
from kycrail.app import create_app
from kycrail.config import Settings, to_async_database_url
from kycrail.db import create_engine, metadata
from kycrail.storage import Storage
from kycrail.tables import load_all_tables
from kycrail.tenants import service
from kycrail.tenants.keys import Role
from kycrail.vault.keyring import ring_from_settings
from tests.settings import settings_for

pytest_plugins = ["tests.canary_logs", "tests.browser"]  # chromium: the page tests' fixture
load_all_tables()


def _of_this_worker(url: str | None) -> str | None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ...: set before this module is imported
    if url is None or worker is None:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = _of_this_worker(os.environ.get("KYCRAIL_TEST_DATABASE_URL"))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


async def _migrate(url: str) -> None:
    engine = create_engine(to_async_database_url(url))
    try:
        # A reused PostgreSQL database may hold rows a pending migration seals: with the run's own keys
        # (without them, the settings' defaults would make a key file in the working directory).
        await migrate.upgrade(engine, key_ring=lambda: ring_from_settings(settings_for(url)))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy, which is much faster than migrating again."""
    path = tmp_path_factory.mktemp("template") / "kycrail.db"
    asyncio.run(_migrate(sqlite_url(path)))
    return path


async def _create_or_drop(url: str, statement: str) -> None:
    """CREATE or DROP the database ``url`` names, from the database the run was given."""
    given = os.environ["KYCRAIL_TEST_DATABASE_URL"]
    connection = await asyncpg.connect(to_async_database_url(given).replace("+asyncpg", ""))
    try:
        await connection.execute(f'{statement} "{make_url(url).database}"')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_migrated() -> Iterator[str]:
    assert POSTGRES_URL
    own = "PYTEST_XDIST_WORKER" in os.environ  # a parallel worker makes its own database
    if own:
        asyncio.run(_create_or_drop(POSTGRES_URL, "DROP DATABASE IF EXISTS"))
        asyncio.run(_create_or_drop(POSTGRES_URL, "CREATE DATABASE"))
    asyncio.run(_migrate(POSTGRES_URL))
    yield POSTGRES_URL
    if own:
        asyncio.run(_create_or_drop(POSTGRES_URL, "DROP DATABASE IF EXISTS"))


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
    return settings_for(database_url)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application
    let_go_of_apps()


def let_go_of_apps() -> None:
    """FastAPI remembers, in caches of up to 4,096 callables each, what kind of function each endpoint
    is; the docs pages' endpoints are closures over their app, so every app a test made stayed alive,
    and the heap the garbage collector walks grew test after test (a fifth of the suite's time went to
    collecting it). A server makes one app: only tests, which make one each, need this."""
    for cached in (
        fastapi_models._is_gen_callable_cached,
        fastapi_models._is_async_gen_callable_cached,
        fastapi_models._is_coroutine_callable_cached,
    ):
        cached.cache_clear()


@pytest.fixture
def engine(app: FastAPI) -> AsyncEngine:
    resolved: AsyncEngine = app.state.resources.engine
    return resolved


@pytest.fixture
def storage(app: FastAPI) -> Storage:
    resolved: Storage = app.state.resources.storage
    return resolved


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app over ASGI. Every answer it gives must be one its OpenAPI document declares for that
    operation (server errors aside): each route's error responses are held to what it really answers."""
    undeclared: list[tuple[str, str, int]] = []
    transport = httpx.ASGITransport(app=_declared_answers_only(app, undeclared))
    async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as http_client:
        yield http_client
    assert not undeclared, f"answers the OpenAPI document does not declare: {undeclared}"


def _declared_answers_only(app: FastAPI, undeclared: list[tuple[str, str, int]]) -> ASGIApp:
    # The document depends only on whether the sandbox routes are served: build it once for each.
    sandbox = app.state.resources.settings.sandbox
    if sandbox not in _OPERATIONS:
        _OPERATIONS[sandbox] = _operations(app.openapi())
    operations = _OPERATIONS[sandbox]

    async def checked(scope: Scope, receive: Receive, send: Send) -> None:
        async def spy(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 500:
                declared = _declared(operations, scope["method"], scope["path"])
                if declared is not None and str(message["status"]) not in declared:
                    undeclared.append((scope["method"], scope["path"], message["status"]))
            await send(message)

        await app(scope, receive, spy)

    return checked


Operations = list[tuple[re.Pattern[str], str, dict[str, Any]]]
_OPERATIONS: dict[bool, Operations] = {}


def _operations(document: dict[str, Any]) -> Operations:
    """Each documented operation: its path as a pattern, its method, its responses."""
    return [
        (
            re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)) + "$"),
            method.upper(),
            operation["responses"],
        )
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def _declared(operations: Operations, method: str, path: str) -> dict[str, Any] | None:
    """The responses declared for the operation a request reaches; None where no operation serves it."""
    return next(
        (responses for pattern, verb, responses in operations if verb == method and pattern.match(path)), None
    )


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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A test's captured output may hold a lone surrogate (the hostile-text tests log some): kept
    escaped, so that a parallel worker can send its report (execnet writes reports as UTF-8)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    report.sections = [
        (title, text.encode("utf-8", "backslashreplace").decode("utf-8")) for title, text in report.sections
    ]
