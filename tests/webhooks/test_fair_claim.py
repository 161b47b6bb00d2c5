"""Claiming is fair (issue 23, item 3): an endpoint gets no more than its room, endpoints with no room
are not considered, and deliveries are taken round robin across tenants, so that one tenant's backlog
behind slow receivers never holds up another tenant's first delivery.

A backlog is inserted in bulk: deliveries of one real event (one customer's, written through the
API), each naming a customer of its own, as thousands of customers' events would (one customer's
deliveries go out one at a time, in order; different customers' do not wait for each other).
"""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kycrail.app import webhook_worker
from kycrail.config import Settings
from kycrail.db import utc_now, write_transaction
from kycrail.outbox.tables import outbox_events
from kycrail.storage import Storage
from kycrail.webhooks import deliveries
from kycrail.webhooks.tables import webhook_deliveries
from kycrail.webhooks.worker import Worker
from tests.api.receiver import Receiver, receiver
from tests.api.test_webhook_delivery import running
from tests.conftest import KeyFactory
from tests.factories import jane
from tests.settings import settings_for
from tests.waiting import eventually


@pytest.fixture
def settings(database_url: str) -> Settings:
    """As ``serve --sandbox``: webhooks may go to plain http on loopback (the receivers here)."""
    return settings_for(database_url, sandbox=True)


@dataclass(frozen=True)
class Tenant:
    id: str
    headers: dict[str, str]
    outbox_id: int  # one real event of one of its customers: what the bulk deliveries send
    event_id: str


async def tenant(
    client: httpx.AsyncClient, make_key: KeyFactory, storage: Storage, name: str, phone: str
) -> Tenant:
    headers = {"Authorization": f"Bearer {await make_key(name)}"}
    created = await client.post("/v2/customer", json=jane(phone=phone), headers=headers)
    assert created.status_code == 201, created.text
    async with storage.engine.connect() as connection:
        event = (
            await connection.execute(
                select(outbox_events.c.id, outbox_events.c.event_id, outbox_events.c.tenant_id)
                .where(outbox_events.c.customer_id == created.json()["id"])
                .order_by(outbox_events.c.id)
                .limit(1)
            )
        ).one()
    return Tenant(event.tenant_id, headers, event.id, event.event_id)


async def webhook(client: httpx.AsyncClient, owner: Tenant, url: str) -> str:
    created = await client.post(
        "/v1/webhooks", json={"url": url, "events": ["customer.created"]}, headers=owner.headers
    )
    assert created.status_code == 201, created.text
    endpoint_id: str = created.json()["id"]
    return endpoint_id


def nowhere(n: int) -> str:
    """A URL for a webhook the test never sends to (the claim alone is under test)."""
    return f"http://127.0.0.1:{9000 + n}/hooks"


def backlog(owner: Tenant, endpoint_id: str, due_at: list[datetime]) -> list[dict[str, Any]]:
    """Deliveries to ``endpoint_id``, one for each time in ``due_at``, each of a customer of its own."""
    return [
        {
            "tenant_id": owner.id,
            "endpoint_id": endpoint_id,
            "outbox_id": owner.outbox_id,
            "customer_id": f"customer_{uuid.uuid4().hex}",
            "message_id": f"{owner.event_id}_{uuid.uuid4().hex[:12]}",
            "event_name": "customer.created",
            "state": "pending",
            "attempts": 0,
            "next_attempt_at": moment,
            "created_at": moment,
        }
        for moment in due_at
    ]


async def insert(storage: Storage, rows: list[dict[str, Any]]) -> dict[int, tuple[str, datetime]]:
    """The rows inserted at once; (endpoint, due time) of each by its id."""
    async with write_transaction(storage.engine) as connection:
        await deliveries.insert_deliveries(connection, rows)
        found = await connection.execute(
            select(
                webhook_deliveries.c.id,
                webhook_deliveries.c.endpoint_id,
                webhook_deliveries.c.next_attempt_at,
            )
        )
        return {row.id: (row.endpoint_id, row.next_attempt_at) for row in found}


async def claim(storage: Storage, limit: int, room: dict[str, int], cap: int) -> list[deliveries.Claimed]:
    now = utc_now()
    async with write_transaction(storage.engine) as connection:
        return await deliveries.claim(connection, now, now + timedelta(minutes=1), limit, room, cap)


def seconds_ago(start: int, count: int) -> list[datetime]:
    """``count`` distinct moments in the past, oldest first, the first ``start`` seconds ago."""
    now = utc_now()
    return [now - timedelta(seconds=start - n) for n in range(count)]


# --- the claim itself ----------------------------------------------------------------------------------


async def test_endpoints_with_no_room_leave_the_batch_to_the_other_tenants(
    client: httpx.AsyncClient, make_key: KeyFactory, storage: Storage
) -> None:
    busy = await tenant(client, make_key, storage, "busy", "+14155550101")
    quiet = await tenant(client, make_key, storage, "quiet", "+14155550102")
    crowded = [await webhook(client, busy, nowhere(n)) for n in range(2)]
    calm = await webhook(client, quiet, nowhere(2))
    # 600 of the busy tenant's, all older than the quiet tenant's three.
    rows = [row for endpoint in crowded for row in backlog(busy, endpoint, seconds_ago(900, 300))]
    inserted = await insert(storage, rows + backlog(quiet, calm, seconds_ago(60, 3)))
    claimed = await claim(storage, limit=100, room={endpoint: 0 for endpoint in crowded}, cap=16)
    assert sorted(one.id for one in claimed) == sorted(i for i, (e, _) in inserted.items() if e == calm)
    assert {one.tenant_id for one in claimed} == {quiet.id}
    # Claimed: leased, so not claimed again; the busy endpoints, given room, get at most that much.
    claimed = await claim(storage, limit=100, room={crowded[0]: 3, crowded[1]: 0}, cap=16)
    assert [one.endpoint_id for one in claimed] == [crowded[0]] * 3


async def test_each_tenants_first_goes_before_any_tenants_second_within_each_endpoints_room(
    client: httpx.AsyncClient, make_key: KeyFactory, storage: Storage
) -> None:
    a, b, c = [
        await tenant(client, make_key, storage, name, f"+1415555011{n}")
        for n, name in enumerate(("alpha", "bravo", "charlie"))
    ]
    a1, a2 = [await webhook(client, a, nowhere(n)) for n in range(2)]
    b1, c1 = await webhook(client, b, nowhere(2)), await webhook(client, c, nowhere(3))
    # Alpha's are the oldest, taking turns between its two endpoints; then bravo's; then charlie's.
    alpha = [
        row
        for pair in zip(
            backlog(a, a1, seconds_ago(900, 50)[::2]), backlog(a, a2, seconds_ago(899, 50)[::2]), strict=True
        )
        for row in pair
    ]
    bravo = backlog(b, b1, seconds_ago(600, 50))
    charlie = backlog(c, c1, seconds_ago(300, 2))
    # One more of charlie's, for the customer of its first: it waits for that one (their order).
    charlie.append(backlog(c, c1, seconds_ago(200, 1))[0] | {"customer_id": charlie[0]["customer_id"]})
    inserted = await insert(storage, alpha + bravo + charlie)
    by_time = sorted(inserted, key=lambda i: inserted[i][1])

    def oldest(endpoints: set[str], count: int) -> list[int]:
        return [i for i in by_time if inserted[i][0] in endpoints][:count]

    # a1 has room for 2, every other endpoint for the cap (5): alpha may have a1's 2 and a2's 5, bravo
    # 5, charlie 2. Nine, taken in turns: alpha's, bravo's and charlie's firsts, their seconds, alpha's
    # and bravo's thirds, alpha's fourth.
    claimed = await claim(storage, limit=9, room={a1: 2}, cap=5)
    alpha_candidates = oldest({a1}, 2) + oldest({a2}, 5)
    expected = sorted(alpha_candidates, key=lambda i: inserted[i][1])[:4] + oldest({b1}, 3) + oldest({c1}, 2)
    assert sorted(one.id for one in claimed) == sorted(expected)
    assert sum(one.endpoint_id == a1 for one in claimed) == 2


# --- the worker as it runs in production ---------------------------------------------------------------


async def test_a_tenant_behind_slow_receivers_does_not_delay_another_tenants_first_delivery(
    client: httpx.AsyncClient, make_key: KeyFactory, storage: Storage, settings: Settings
) -> None:
    """Five endpoints answering 503 after 5 s, 2,000 deliveries pending for them, every slot busy with
    them; another tenant's four writes reach its receiver all the same, the first within a second."""
    worker = webhook_worker(storage, settings)
    worker.timeout_seconds, worker.per_endpoint = 6.0, 4  # 4 slots each: full in a moment
    with ExitStack() as stack:
        # They answer only once the test is over (which does not wait for them).
        slow = [stack.enter_context(receiver(status=503, hold=True)) for _ in range(5)]
        quick = stack.enter_context(receiver())
        await _slow_backlog_then_quick_writes(client, make_key, storage, worker, slow, quick)


async def _slow_backlog_then_quick_writes(
    client: httpx.AsyncClient,
    make_key: KeyFactory,
    storage: Storage,
    worker: Worker,
    slow: list[Receiver],
    quick: Receiver,
) -> None:
    busy = await tenant(client, make_key, storage, "busy", "+14155550101")
    quiet_headers = {"Authorization": f"Bearer {await make_key('quiet')}"}
    endpoints = [await webhook(client, busy, hooks.url) for hooks in slow]
    quick_webhook = {"url": quick.url, "events": ["customer.created"]}
    assert (await client.post("/v1/webhooks", json=quick_webhook, headers=quiet_headers)).status_code == 201
    await insert(storage, [row for e in endpoints for row in backlog(busy, e, seconds_ago(1800, 400))])
    async with running(worker):
        full = 5 * worker.per_endpoint
        await eventually(lambda: sum(hooks.arrived for hooks in slow) >= full, 5)
        # Every slow endpoint at its cap, and no more: each send waits for its 503.
        assert [(hooks.arrived, len(hooks.requests)) for hooks in slow] == [(worker.per_endpoint, 0)] * 5
        for _ in range(4):
            assert (await client.post("/v1/customers", json={}, headers=quiet_headers)).status_code == 201
        # The other tenant's first delivery within a second.
        await eventually(
            lambda: quick.arrived > 0, 1.0, describe=lambda: "the other tenant's first is still waiting"
        )
        await eventually(lambda: len(quick.delivered) == 4, 2.0, describe=lambda: quick.requests)
