"""A database restart or failover breaks pooled connections: one retryable 503, then service again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL
from tests.factories import jane

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (KYCRAIL_TEST_DATABASE_URL)")


async def cut_every_other_connection(database_url: str) -> int:
    """What a restart does to the app's pool: every other session on the database is ended."""
    url = make_url(database_url).set(drivername="postgresql")
    admin = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        ended: int = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()
    return ended


@dataclass(frozen=True)
class Dialect:
    create_path: str
    body: dict[str, Any]
    code: str  # of the 503
    update: tuple[str, dict[str, Any], str]  # an update of one field: method, body, the field


DIALECTS = [
    Dialect("/v2/customer", jane(), "database/unavailable", ("PATCH", {"meta": {"tag": "outage"}}, "meta")),
    Dialect(
        "/v1/customers", {}, "database_unavailable", ("PUT", {"metadata": {"tag": "outage"}}, "metadata")
    ),
]


async def created(client: httpx.AsyncClient, headers: dict[str, str], dialect: Dialect) -> str:
    """A new customer's path."""
    answer = await client.post(dialect.create_path, json=dialect.body, headers=headers)
    return f"{dialect.create_path}/{answer.json()['id']}"


@pytest.mark.parametrize("dialect", DIALECTS)
async def test_connections_cut_while_idle_cost_at_most_one_retryable_503(
    client: httpx.AsyncClient, headers: dict[str, str], database_url: str, dialect: Dialect
) -> None:
    path = await created(client, headers, dialect)
    assert (await client.get(path, headers=headers)).status_code == 200  # the pool holds a connection

    assert await cut_every_other_connection(database_url) >= 1
    # Whether the pool has seen the end of its idle connections before the next request takes one
    # is a race with the server's goodbye: the request is served, or answered a retryable 503.
    first = await client.get(path, headers=headers)
    if first.status_code != 200:
        assert first.status_code == 503
        assert first.json()["code"] == dialect.code
        assert first.headers["retry-after"] == "1"
    retried = await client.get(path, headers=headers)
    assert retried.status_code == 200
    assert path.endswith(retried.json()["id"])


@asynccontextmanager
async def sessions_end_on_update(database_url: str) -> AsyncIterator[None]:
    """Any UPDATE of a customer ends its own session mid-statement: a connection lost while in use."""
    url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(
            "CREATE FUNCTION end_own_session() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$; "
            "CREATE TRIGGER end_own_session BEFORE UPDATE ON customers "
            "FOR EACH ROW EXECUTE FUNCTION end_own_session()"
        )
        yield
    finally:
        await admin.execute(
            "DROP TRIGGER IF EXISTS end_own_session ON customers; DROP FUNCTION IF EXISTS end_own_session()"
        )
        await admin.close()


@pytest.mark.parametrize("dialect", DIALECTS)
async def test_a_connection_lost_mid_request_is_one_retryable_503_with_nothing_written(
    client: httpx.AsyncClient, headers: dict[str, str], database_url: str, dialect: Dialect
) -> None:
    path = await created(client, headers, dialect)
    method, update, field = dialect.update

    async with sessions_end_on_update(database_url):
        broken = await client.request(method, path, json=update, headers=headers)
    assert broken.status_code == 503
    assert broken.json()["code"] == dialect.code
    assert broken.headers["retry-after"] == "1"
    untouched = await client.get(path, headers=headers)
    assert untouched.status_code == 200
    assert untouched.json().get(field) != update[field]

    retried = await client.request(method, path, json=update, headers=headers)
    assert retried.status_code == 200
    assert retried.json()[field] == update[field]
