"""The HTTP calls API tests share: create, import, upload, and the stored row to compare around refusals."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kycrail.customers import repository
from kycrail.customers.tables import customers
from kycrail.storage import Storage
from kycrail.vault.envelope import context
from tests.api import documents


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post("/v1/customers", json=body if body is not None else {}, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def mint(
    client: httpx.AsyncClient, headers: dict[str, str], applicant: str = "approved", ttl: int = 600
) -> str:
    response = await client.post(
        "/sandbox/share-tokens", json={"applicant": applicant, "ttlInSecs": ttl}, headers=headers
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["shareToken"]
    return token


class HeldImports:
    """SumSub thinking over share-token imports until the test lets it answer: ``asked`` is set once
    kycrail has asked for one, and each goes on to SumSub (the in-process emulator) only after
    ``answer()``. The sandbox's SumSub client is wrapped, so nothing of kycrail's own is."""

    def __init__(self, app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked = asyncio.Event()
        self._answered = asyncio.Event()
        sumsub = app.state.resources.sumsub
        import_share_token = sumsub.import_share_token

        async def held(*args: Any, **kwargs: Any) -> Any:
            self.asked.set()
            await self._answered.wait()
            return await import_share_token(*args, **kwargs)

        monkeypatch.setattr(sumsub, "import_share_token", held)

    def answer(self) -> None:
        self._answered.set()


async def put(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.put(f"/v1/customers/{customer_id}", json=body, headers=headers)


async def stored(storage: Storage, customer_id: str) -> Any:
    """The customer's row as the database holds it (compared whole, byte for byte, around refusals),
    with its personal document opened (``documents``, ``identity``...)."""
    async with storage.engine.connect() as connection:
        row = (await connection.execute(select(customers).where(customers.c.id == customer_id))).one()
        key = await repository.data_key(connection, storage.vault, row.tenant_id, customer_id)
    opened = orjson.loads(key.open(row.personal, context(customer_id, repository.PERSONAL_FIELD)))
    return dict(row._mapping) | opened


_pictures = itertools.count(1)


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    customer_id: str,
    document_type: str = "passport",
    content: bytes | None = None,
    filename: str = "doc.png",
    declared_type: str = "image/png",
    **fields: str,
) -> httpx.Response:
    data = {
        "target": "customer",
        "targetId": customer_id,
        "documentType": document_type,
        "country": "USA",
        **fields,
    }
    if content is None:  # a fresh picture each time, as a person's uploads are (the same file twice is 409)
        content = documents.png(next(_pictures))
    files = {"file": (filename, content, declared_type)}
    return await client.post("/v2/document", data=data, files=files, headers=headers)


def delivery_log(path: str, body: dict[str, Any]) -> list[Any]:
    """The deliveries of a page of a webhook endpoint's log, as each dialect lists them: ``data`` on
    ``/v1`` (``{data, total, limit, offset}``), ``deliveries`` on ``/v2`` (``{deliveries, pagination}``)."""
    found: list[Any] = body["data" if path.startswith("/v1/") else "deliveries"]
    return found
