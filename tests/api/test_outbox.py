"""The outbox: one event per committed write, in the write's transaction, with the customer as that
write left it, sealed; nothing for a refused or rolled-back write; nothing readable after an erasure."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kycrail import db
from kycrail.customers import codec, repository
from kycrail.outbox import repository as outbox
from kycrail.outbox.tables import outbox_events
from kycrail.storage import Storage
from kycrail.vault.envelope import context
from kycrail.vault.kek import KeyUnavailable
from tests.api.calls import upload


async def _events(storage: Storage, customer_id: str) -> list[outbox.OutboxEvent]:
    async with db.connect(storage.engine) as connection:
        query = select(outbox_events.c.tenant_id).where(outbox_events.c.customer_id == customer_id).limit(1)
        tenant_id = (await connection.execute(query)).scalar_one()
        return await outbox.of_customer(connection, tenant_id, customer_id)


async def _count(storage: Storage) -> int:
    async with db.connect(storage.engine) as connection:
        return int((await connection.execute(select(func.count()).select_from(outbox_events))).scalar_one())


async def _opened(storage: Storage, event: outbox.OutboxEvent) -> Any:
    assert event.snapshot is not None
    async with db.connect(storage.engine) as connection:
        key = await repository.data_key(connection, storage.vault, event.tenant_id, event.customer_id)
    where = context(event.customer_id, outbox.snapshot_field(event.event_id))
    return codec.customer_from_snapshot(key.open(event.snapshot, where))


async def test_every_committed_write_appends_its_event_with_the_customer_it_made(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    create_customer: Any,
    storage: Storage,
) -> None:
    customer = await create_customer()
    customer_id = customer["id"]
    path = f"/v2/customer/{customer_id}"
    assert (await client.patch(path, json={"meta": {"tier": "gold"}}, headers=headers)).status_code == 200
    for document_type in ("passport", "liveness_report"):
        assert (await upload(client, headers, customer_id, document_type)).status_code == 201
    review = {"decision": "rejected", "reasons": [{"criterion": "identity_document", "message": "blurry"}]}
    reviewed = await client.post(
        f"/ops/customers/{customer_id}/review", json=review, headers=reviewer_headers
    )
    assert reviewed.status_code == 200, reviewed.text

    audit = (await client.get(f"{path}/events", headers=headers)).json()["events"]
    events = await _events(storage, customer_id)
    assert [event.kind for event in events] == [event["type"] for event in audit]  # one per write, in order
    assert [(event.status_before, event.status_after) for event in events] == [
        (None, "incomplete"),
        ("incomplete", "incomplete"),
        ("incomplete", "incomplete"),
        ("incomplete", "pending"),
        ("pending", "incomplete"),  # the criteria sent back
    ]
    assert len({event.event_id for event in events}) == len(events)
    versions = [(await _opened(storage, event)).version for event in events]
    assert versions == [1, 2, 3, 4, 5]  # each the customer as its write left it
    patched = await _opened(storage, events[1])
    assert patched.meta == {"tier": "gold"}  # PATCH replaces meta whole
    for event in events:
        assert event.snapshot is not None
        assert b"Smith" not in event.snapshot  # sealed


@pytest.mark.parametrize(
    ("method", "body", "headers_extra"),
    [
        ("PATCH", {"meta": {"nested": {"no": 1}}}, {}),  # refused by a rule: 422
        ("PATCH", {"meta": {"tier": "gold"}}, {"If-Match": '"99"'}),  # stale version: 412
    ],
)
async def test_a_refused_write_appends_nothing(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    create_customer: Any,
    storage: Storage,
    method: str,
    body: dict[str, Any],
    headers_extra: dict[str, str],
) -> None:
    customer_id = (await create_customer())["id"]
    before = await _count(storage)
    response = await client.request(
        method, f"/v2/customer/{customer_id}", json=body, headers=headers | headers_extra
    )
    assert response.status_code in (412, 422), response.text
    assert await _count(storage) == before


async def test_a_write_whose_answer_fails_appends_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    create_customer: Any,
    storage: Storage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer_id = (await create_customer())["id"]
    before = await _count(storage)

    def broken(_: object) -> None:
        raise RuntimeError("rendering failed after the outbox append")

    from kycrail.api.sphere import responses

    monkeypatch.setattr(responses, "respond", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as raw:
        failed = await raw.patch(f"/v2/customer/{customer_id}", json={"meta": {"x": 1}}, headers=headers)
    assert failed.status_code == 500
    assert await _count(storage) == before  # the write and its event rolled back together


async def test_after_an_erasure_no_event_of_the_customer_opens(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    admin_headers: dict[str, str],
    create_customer: Any,
    storage: Storage,
) -> None:
    customer_id = (await create_customer())["id"]
    created = (await _events(storage, customer_id))[0]
    opened_before = await _opened(storage, created)
    assert opened_before.id == customer_id
    assert (
        await client.post(f"/ops/customers/{customer_id}/erase", headers=admin_headers)
    ).status_code == 204
    events = await _events(storage, customer_id)
    assert [event.kind for event in events] == ["customer.created", "customer.erased"]
    assert events[-1].snapshot is None  # an erasure sends nothing personal
    assert storage.vault.opened(customer_id) is None
    with pytest.raises(KeyUnavailable):  # no key remains in the database to open it
        await _opened(storage, created)
