"""DELETE keeps the sealed record for the retention period; erasure shreds it (issue 12, items 4-5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from kycrail.app import webhook_worker
from kycrail.config import Settings
from kycrail.customers import service
from kycrail.customers.tables import customers
from kycrail.db import utc_now
from kycrail.documents.tables import documents
from kycrail.idempotency.tables import idempotency_keys
from kycrail.storage import Storage
from kycrail.vault.tables import data_keys
from tests.api import documents as files
from tests.api.calls import delivery_log, upload
from tests.api.receiver import Receiver, receiver
from tests.factories import jane


async def _count(storage: Storage, table: Any, customer_id: str) -> int:
    column = table.c.customer_id if "customer_id" in table.c else table.c.id
    async with storage.engine.connect() as connection:
        return int(
            (
                await connection.execute(select(func.count()).select_from(table).where(column == customer_id))
            ).scalar_one()
        )


async def _row(storage: Storage, customer_id: str) -> Any:
    async with storage.engine.connect() as connection:
        return (await connection.execute(select(customers).where(customers.c.id == customer_id))).one()


async def test_erasure_shreds_the_key_the_record_and_the_documents_and_says_so_without_values(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    admin_headers: dict[str, str],
    create_customer: Any,
    storage: Storage,
) -> None:
    customer = await create_customer(jane(meta={"jane.smith@example.com": "vip"}))
    customer_id = customer["id"]
    assert (await upload(client, headers, customer_id, "passport", files.png())).status_code == 201
    path = f"/ops/customers/{customer_id}/erase"
    for not_allowed in (headers, reviewer_headers):  # an api or reviewer key may not erase
        assert (await client.post(path, headers=not_allowed)).status_code == 403
    assert await _count(storage, data_keys, customer_id) == 1

    erased = await client.post(path, headers=admin_headers)
    assert erased.status_code == 204
    assert await _count(storage, data_keys, customer_id) == 0
    assert await _count(storage, documents, customer_id) == 0
    row = await _row(storage, customer_id)
    assert (row.personal, row.email_index, row.phone_index) == (None, None, None)
    assert row.erased_at is not None
    assert row.deleted_at is not None
    assert row.verification_status == "incomplete"  # what remains: id, tenant, type, times, status
    for read in (f"/v2/customer/{customer_id}", f"/v1/customers/{customer_id}"):
        assert (await client.get(read, headers=headers)).status_code == 404
    assert (await client.post(path, headers=admin_headers)).status_code == 204  # again: nothing changes
    assert (
        await client.post("/ops/customers/customer_0123456789abcdef/erase", headers=admin_headers)
    ).status_code == 404
    # Its email is free again, and the trail remains, naming fields only.
    again = await client.post("/v2/customer", json=jane(), headers=headers)
    assert again.status_code == 201
    events = (await client.get(f"/v2/customer/{customer_id}/events", headers=headers)).json()["events"]
    assert [event["type"] for event in events] == [
        "customer.created",
        "customer.document_added",
        "customer.erased",
    ]
    text = str(events)
    for personal in ("Jane", "Smith", "jane.smith@example.com", "123-45-6789", "vip", "Wacker"):
        assert personal not in text


async def test_erasure_of_a_deleted_customer_ends_its_retention_at_once(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    admin_headers: dict[str, str],
    create_customer: Any,
    storage: Storage,
) -> None:
    customer_id = (await create_customer())["id"]
    assert (await client.delete(f"/v2/customer/{customer_id}", headers=headers)).status_code == 204
    assert (await client.get(f"/v2/customer/{customer_id}", headers=headers)).status_code == 404
    assert await _count(storage, data_keys, customer_id) == 1  # kept, sealed, for the retention period
    assert (
        await client.post(f"/ops/customers/{customer_id}/erase", headers=admin_headers)
    ).status_code == 204
    assert await _count(storage, data_keys, customer_id) == 0
    events = (await client.get(f"/v2/customer/{customer_id}/events", headers=headers)).json()["events"]
    assert [event["type"] for event in events] == ["customer.created", "customer.deleted", "customer.erased"]


async def test_the_purge_shreds_only_what_is_past_its_retention(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any, storage: Storage
) -> None:
    kept, expired, live = [
        (await create_customer(jane(email=f"{n}@example.com", phone=f"+1415555010{n}")))["id"]
        for n in range(3)
    ]
    for customer_id in (expired, kept):
        assert (await client.delete(f"/v1/customers/{customer_id}", headers=headers)).status_code == 204
    expired_at = (await _row(storage, expired)).deleted_at
    kept_at = (await _row(storage, kept)).deleted_at
    assert expired_at <= kept_at
    # The retention ends between the two deletions: only the first is shredded.
    cutoff = (
        expired_at + (kept_at - expired_at) / 2
        if kept_at > expired_at
        else expired_at + timedelta(microseconds=1)
    )
    if kept_at == expired_at:
        pytest.skip("both deletions carry the same timestamp")
    assert await service.purge_expired(storage, cutoff) == 1
    assert await service.purge_expired(storage, cutoff) == 0  # done already: idempotent
    assert await _count(storage, data_keys, expired) == 0
    assert await _count(storage, data_keys, kept) == 1
    assert await _count(storage, data_keys, live) == 1
    assert (await client.get(f"/v1/customers/{live}", headers=headers)).status_code == 200
    events = (await client.get(f"/v2/customer/{expired}/events", headers=headers)).json()["events"]
    assert events[-1]["type"] == "customer.erased"
    assert events[-1]["actor"] == {"keyPrefix": "system", "role": "admin"}
    assert events[-1]["requestId"] == "retention-purge"
    assert await service.purge_expired(storage, utc_now() + timedelta(seconds=1)) == 1  # then the other


async def test_an_idempotent_retry_replays_the_sealed_answer_while_the_customer_lives_and_never_after(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    keyed = {**headers, "Idempotency-Key": "create-jane-1"}
    first = await client.post("/v2/customer", json=jane(), headers=keyed)
    assert first.status_code == 201
    customer_id = first.json()["id"]
    async with storage.engine.connect() as connection:
        kept = (await connection.execute(select(idempotency_keys))).one()
    assert kept.customer_id == customer_id
    assert b"Jane" not in kept.response_body  # sealed under the customer's data key
    replay = await client.post("/v2/customer", json=jane(), headers=keyed)
    assert replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.content == first.content
    assert (await client.delete(f"/v2/customer/{customer_id}", headers=headers)).status_code == 204
    after = await client.post("/v2/customer", json=jane(), headers=keyed)
    assert after.status_code == 410  # the answer named a customer since deleted: not replayed, not re-run
    assert after.json()["code"] == "idempotency/customer-deleted"
    assert "Jane" not in after.text
    listed = (await client.get("/v2/customer", headers=headers)).json()
    assert listed["pagination"]["total"] == 0


async def test_kept_requests_are_fingerprinted_with_a_key_not_a_plain_hash(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    from kycrail.api.common.idempotency import fingerprint

    body = b'{"email": "guessable@example.com"}'
    keyed = {**headers, "Idempotency-Key": "fp-1", "Content-Type": "application/json"}
    assert (await client.post("/v1/customers", content=body, headers=keyed)).status_code == 201
    async with storage.engine.connect() as connection:
        stored = (await connection.execute(select(idempotency_keys.c.fingerprint))).scalar_one()
    assert stored != fingerprint("POST", "/v1/customers", b"", body)  # a guess cannot be tested offline
    assert stored == fingerprint(
        "POST", "/v1/customers", b"", body, key=storage.vault.blind_index.fingerprint_key
    )


# --- the delivery log: what a receiver echoed is the customer's, and goes with it ---------------------

# Values of ``ECHOED``'s customer that its webhooks carry (in the first 1 KB of their bodies).
ECHOED_VALUES = ("Erin", "Echoford", "erin.echoford@example.com", "+14155550187", "1988-03-09")
ECHOED = jane(
    email="erin.echoford@example.com",
    phone="+14155550187",
    personalInformation={
        **jane()["personalInformation"],
        "firstName": "Erin",
        "lastName": "Echoford",
        "dateOfBirth": "1988-03-09",
    },
)


async def _echoed_and_logged(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, settings: Settings, echo: Receiver
) -> tuple[str, list[str]]:
    """A customer created with webhooks in both dialects to a receiver that answers with the body it
    got, delivered; returns the customer's id and the two delivery logs' paths."""
    sphere = await client.post(
        "/v2/webhook", json={"name": "echo", "url": echo.url, "events": ["*"]}, headers=headers
    )
    swipelux = await client.post("/v1/webhooks", json={"url": echo.url, "events": ["*"]}, headers=headers)
    assert (sphere.status_code, swipelux.status_code) == (201, 201), (sphere.text, swipelux.text)
    created = await client.post("/v2/customer", json=ECHOED, headers=headers)
    assert created.status_code == 201, created.text
    worker = webhook_worker(storage, settings)
    try:
        await worker.dispatch_once()
        assert await worker.deliver_once() == 2  # one create in each dialect
    finally:
        await worker.aclose()
    logs = [
        f"/v2/webhook/{sphere.json()['id']}/deliveries",
        f"/v1/webhooks/{swipelux.json()['id']}/deliveries",
    ]
    return created.json()["id"], logs


async def _answers_logged(client: httpx.AsyncClient, headers: dict[str, str], logs: list[str]) -> list[Any]:
    """Every attempt of both logs: (status code, error, the answer's body as shown)."""
    shown = []
    for path in logs:
        answer = await client.get(path, headers=headers)
        assert answer.status_code == 200, answer.text
        for delivery in delivery_log(path, answer.json()):
            for attempt in delivery["attempts"]:
                assert attempt["durationMs"] >= 0
                shown.append((attempt["statusCode"], attempt["error"], attempt["responseBody"]))
    assert len(shown) == 2
    return shown


def _personal_in(shown: list[Any]) -> set[str]:
    return {value for value in ECHOED_VALUES for attempt in shown if value in str(attempt)}


async def test_an_erasure_leaves_the_delivery_log_its_outcomes_and_nothing_the_receiver_echoed(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    admin_headers: dict[str, str],
    storage: Storage,
    settings: Settings,
) -> None:
    with receiver(echo=True) as echo:
        customer_id, logs = await _echoed_and_logged(client, headers, storage, settings, echo)
    # The control: while the customer lives, its log shows what the receiver answered.
    before = await _answers_logged(client, headers, logs)
    assert _personal_in(before) == set(ECHOED_VALUES)
    assert (
        await client.post(f"/ops/customers/{customer_id}/erase", headers=admin_headers)
    ).status_code == 204
    after = await _answers_logged(client, headers, logs)
    assert _personal_in(after) == set()
    # What is not personal stays: each attempt's status code and error; the answer reads as empty.
    assert after == [(200, None, "")] * 2


async def test_a_delete_then_the_purge_leaves_nothing_the_receiver_echoed_in_the_delivery_log(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, settings: Settings
) -> None:
    with receiver(echo=True) as echo:
        customer_id, logs = await _echoed_and_logged(client, headers, storage, settings, echo)
    assert _personal_in(await _answers_logged(client, headers, logs)) == set(ECHOED_VALUES)
    assert (await client.delete(f"/v1/customers/{customer_id}", headers=headers)).status_code == 204
    assert await service.purge_expired(storage, utc_now() + timedelta(seconds=1)) == 1
    assert await _count(storage, data_keys, customer_id) == 0
    assert await _answers_logged(client, headers, logs) == [(200, None, "")] * 2
