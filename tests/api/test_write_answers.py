"""A write and its answer commit together: the answer is rendered inside the write's transaction (no
500 after a commit), an idempotent write's answer is kept in that same transaction (no crash window),
a body that never fully arrived uses no key up, and bodies are compared as JSON values."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Message, Receive, Scope, Send

from kycrail.api.sphere import responses
from kycrail.customers.tables import customer_events, customers
from kycrail.idempotency.tables import idempotency_keys
from tests.factories import jane


async def count(engine: AsyncEngine, table: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())


async def test_a_write_whose_answer_cannot_be_rendered_writes_nothing(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    engine: AsyncEngine,
    create_customer: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer = await create_customer()
    events_before = await count(engine, customer_events)

    def broken(customer: Any) -> dict[str, Any]:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(responses, "customer_out", broken)
    keyed = {**headers, "Idempotency-Key": "patch-1"}
    patched = await client.patch(f"/v2/customer/{customer['id']}", json={"meta": {"a": 1}}, headers=keyed)
    created = await client.post(
        "/v2/customer", json=jane(email="x@example.com", phone="+14155550111"), headers=headers
    )
    assert (patched.status_code, created.status_code) == (500, 500)
    # Neither write happened: not the update, not the create, not their audit events.
    assert await count(engine, customers) == 1
    assert await count(engine, customer_events) == events_before
    monkeypatch.undo()
    unchanged = await client.get(f"/v2/customer/{customer['id']}", headers=headers)
    assert unchanged.json()["meta"] == customer["meta"]
    assert unchanged.headers["etag"] == '"1"'
    # The key was released with the failure: the retry runs, once.
    retried = await client.patch(f"/v2/customer/{customer['id']}", json={"meta": {"a": 1}}, headers=keyed)
    assert retried.status_code == 200, retried.text
    assert retried.headers["etag"] == '"2"'


def spying(app: FastAPI, on_start: Any) -> Any:
    """The app, with ``on_start()`` awaited just before the first byte of each answer leaves."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def spy(message: Message) -> None:
            if message["type"] == "http.response.start":
                await on_start()
            await send(message)

        await app(scope, receive, spy)

    return wrapped


async def test_an_idempotent_writes_answer_is_kept_with_the_write_before_any_byte_leaves(
    app: FastAPI, headers: dict[str, str], engine: AsyncEngine
) -> None:
    seen: list[tuple[int, str | None]] = []

    async def look() -> None:
        # What a process killed right now would leave behind: the customer, and the kept answer.
        async with engine.connect() as connection:
            state = (await connection.execute(select(idempotency_keys.c.state))).scalar_one_or_none()
        seen.append((await count(engine, customers), state))

    transport = httpx.ASGITransport(app=spying(app, look))
    async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as client:
        keyed = {**headers, "Idempotency-Key": "create-1"}
        first = await client.post("/v1/customers", json={"firstName": "Ada"}, headers=keyed)
        assert first.status_code == 201, first.text
        assert seen == [(1, "completed")]
        again = await client.post("/v1/customers", json={"firstName": "Ada"}, headers=keyed)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert await count(engine, customers) == 1


async def _send_partially(app: FastAPI, headers: dict[str, str], key: str | None) -> list[Message]:
    """A POST whose client goes away after half its body."""
    raw_headers = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    raw_headers += [(b"host", b"kycrail.test"), (b"content-type", b"application/json")]
    raw_headers += [(b"content-length", b"64")]
    if key is not None:
        raw_headers.append((b"idempotency-key", key.encode()))
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/customers",
        "raw_path": b"/v1/customers",
        "query_string": b"",
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("kycrail.test", 80),
    }
    incoming: list[Message] = [{"type": "http.request", "body": b'{"firstName": "Ad', "more_body": True}]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


async def test_a_body_that_never_fully_arrived_is_not_run_and_uses_no_key_up(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine
) -> None:
    await _send_partially(app, headers, "create-2")
    await _send_partially(app, headers, None)
    assert await count(engine, customers) == 0
    assert await count(engine, idempotency_keys) == 0
    complete = await client.post(
        "/v1/customers", json={"firstName": "Ada"}, headers={**headers, "Idempotency-Key": "create-2"}
    )
    assert complete.status_code == 201, complete.text
    assert "idempotent-replayed" not in complete.headers
    assert await count(engine, customers) == 1


async def test_bodies_are_compared_as_json_values(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine
) -> None:
    keyed = {**headers, "Idempotency-Key": "create-3", "Content-Type": "application/json"}
    first = await client.post(
        "/v1/customers", content=b'{"firstName":"Ada","lastName":"Lovelace"}', headers=keyed
    )
    reordered = await client.post(
        "/v1/customers", content=b'{ "lastName" : "Lovelace",\n  "firstName" : "Ada" }', headers=keyed
    )
    assert first.status_code == reordered.status_code == 201
    assert reordered.headers["idempotent-replayed"] == "true"
    assert reordered.json()["id"] == first.json()["id"]
    other = await client.post(
        "/v1/customers", content=b'{"firstName":"Ada","lastName":"Byron"}', headers=keyed
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"
    assert await count(engine, customers) == 1
