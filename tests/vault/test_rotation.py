"""KEK rotation while serving: add a KEK, rewrap every data key under it, retire the old one; no
request fails on the way and every customer still reads (issue 12, item 2)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kycrail import db
from kycrail.app import create_app
from kycrail.config import Settings
from kycrail.storage import Storage
from kycrail.tenants import service as tenants
from kycrail.vault import repository as data_keys
from kycrail.vault.keyring import add_kek, create_key_file, remove_kek, ring_from_file
from kycrail.vault.rewrap import rewrap_all
from tests.factories import jane
from tests.settings import settings_for

CUSTOMERS = 30


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as client:
            yield app, client


def _body(number: int) -> dict[str, object]:
    return jane(email=f"rotate.{number}@example.com", phone=f"+1415555{number:04d}")


@pytest.mark.slow
async def test_rotation_under_load_fails_no_request_and_retires_the_old_kek(
    database_url: str, tmp_path: Path
) -> None:
    key_file = tmp_path / "kycrail.keys"
    create_key_file(key_file)
    settings = settings_for(database_url, key_file=key_file, rate_limit_per_second=0)
    old_kek = ring_from_file(key_file).newest.id
    async with serving(settings) as (app, client):
        engine = app.state.resources.engine
        headers = {"Authorization": f"Bearer {(await tenants.create_key(engine, 'acme')).secret}"}
        ids = []
        for number in range(CUSTOMERS):
            response = await client.post("/v2/customer", json=_body(number), headers=headers)
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])

    new_kek = add_kek(key_file)  # then the API processes restart with both KEKs in their ring
    failures: list[str] = []
    served = 0
    async with serving(settings) as (app, client):
        storage: Storage = app.state.resources.storage
        assert storage.vault.ring.newest.id == new_kek
        rewrapping = asyncio.create_task(rewrap_all(storage.engine, storage.vault, batch=4))
        numbers = itertools.count(CUSTOMERS)

        async def load() -> None:
            nonlocal served
            while not rewrapping.done() or served < 60:
                customer_id = ids[served % len(ids)]
                for response in (
                    await client.get(f"/v2/customer/{customer_id}", headers=headers),
                    await client.patch(
                        f"/v2/customer/{customer_id}", json={"meta": {"n": served}}, headers=headers
                    ),
                    await client.post("/v2/customer", json=_body(next(numbers)), headers=headers),
                    await client.get("/v1/customers", params={"limit": 50}, headers=headers),
                ):
                    served += 1
                    if response.status_code >= 400:
                        failures.append(
                            f"{response.request.method} {response.request.url.path}: {response.text}"
                        )

        await asyncio.gather(load(), load(), load())
        report = await rewrapping
        async with db.connect(storage.engine) as connection:
            by_kek = await data_keys.count_by_kek_any_tenant(connection)
    assert failures == []
    assert (
        report.rewrapped == CUSTOMERS
    )  # every key made under the old KEK; the new ones were born under the new
    assert set(by_kek) == {new_kek}

    remove_kek(key_file, old_kek)  # copies of keys it wrapped (backups, WAL) no longer open
    assert [kek.id for kek in ring_from_file(key_file).keks] == [new_kek]
    async with serving(settings) as (app, client):
        for customer_id in ids:
            response = await client.get(f"/v1/customers/{customer_id}", headers=headers)
            assert response.status_code == 200, response.text
        listed = (await client.get("/v2/customer", params={"limit": 100}, headers=headers)).json()
        assert listed["pagination"]["total"] == by_kek[new_kek]
        assert len(listed["customers"]) == by_kek[new_kek]
