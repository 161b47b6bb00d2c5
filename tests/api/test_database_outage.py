"""A database restart or failover breaks pooled connections: one retryable 503, then service again."""

from __future__ import annotations

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


@pytest.mark.parametrize(
    ("create_path", "body", "get_path", "code"),
    [
        ("/v2/customer", jane(), "/v2/customer/{id}", "database/unavailable"),
        ("/v1/customers", {}, "/v1/customers/{id}", "database_unavailable"),
    ],
)
async def test_a_broken_connection_is_one_retryable_503_then_service_resumes(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    database_url: str,
    create_path: str,
    body: dict[str, Any],
    get_path: str,
    code: str,
) -> None:
    created = await client.post(create_path, json=body, headers=headers)
    path = get_path.format(id=created.json()["id"])
    assert (await client.get(path, headers=headers)).status_code == 200  # the pool holds a connection

    assert await cut_every_other_connection(database_url) >= 1
    broken = await client.get(path, headers=headers)
    assert broken.status_code == 503
    assert broken.json()["code"] == code
    assert broken.headers["retry-after"] == "1"

    retried = await client.get(path, headers=headers)
    assert retried.status_code == 200
    assert retried.json()["id"] == created.json()["id"]
