"""Webhook delivery across real processes and a real receiver that verifies every signature.

- A SIGKILLed ``kycrail serve`` (worker inside) with undelivered events: once restarted, every
  committed event reaches the receiver, each message at least once, each customer's in order.
- Two ``kycrail worker`` processes sharing the outbox (PostgreSQL): 1,000 events, each delivered
  exactly once, within a bounded time.
- A customer erased between dispatch and send: nothing is sent, the deliveries are dead.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from standardwebhooks.webhooks import Webhook

from kycrail.app import webhook_worker
from kycrail.config import Settings
from kycrail.storage import Storage
from kycrail.tenants import service as tenants
from kycrail.tenants.keys import Role
from kycrail.webhooks.tables import webhook_deliveries
from tests.api.receiver import QuietHandler, serving
from tests.conftest import POSTGRES_URL
from tests.factories import jane
from tests.processes import (
    KYCRAIL,
    START_TIMEOUT_SECONDS,
    database,
    free_port,
    key_env,
    sigkill,
    status_at,
    stop,
)
from tests.settings import settings_for
from tests.waiting import eventually, eventually_sync, stays

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out

TENANT = "hooks"


# --- a receiver that counts only what verifies ----------------------------------------------------


@dataclass
class Message:
    id: str  # webhook-id
    payload: dict[str, Any]
    status: int


@dataclass
class VerifyingReceiver:
    """Answers ``status`` to requests whose Standard Webhooks signature verifies with ``secret``;
    anything else is answered 401 and kept in ``refused`` (a test asserts there is none)."""

    url: str = ""
    secret: str | None = None
    status: int = 200
    messages: list[Message] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self) -> list[Message]:
        with self.lock:
            return list(self.messages)

    def delivered(self) -> list[Message]:
        return [one for one in self.snapshot() if 200 <= one.status < 300]


@contextmanager
def verifying_receiver(status: int = 200) -> Iterator[VerifyingReceiver]:
    state = VerifyingReceiver(status=status)

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                assert state.secret is not None, "no secret yet"
                payload = Webhook(state.secret).verify(body, headers)
            except Exception as error:  # kept and asserted on
                with state.lock:
                    state.refused.append(f"{headers.get('webhook-id')}: {error!r}")
                status = 401
            else:
                with state.lock:
                    status = state.status
                    state.messages.append(Message(headers["webhook-id"], payload, status))
            self.answer(status)

    with serving(Handler) as url:
        state.url = url
        yield state


# --- real kycrail processes -------------------------------------------------------------------------


@dataclass
class Process:
    """``kycrail serve`` (with ``port``) or ``kycrail worker``; output to ``log_path``."""

    database_url: str
    log_path: Path
    command: str = "serve"
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""

    def start(self) -> None:
        """Blocking: start, and wait until /healthz answers (serve) or the worker says it runs."""
        args = ["serve", "--port", str(self.port)] if self.command == "serve" else ["worker"]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(KYCRAIL), *args],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={
                    **os.environ,
                    "KYCRAIL_DATABASE_URL": self.database_url,
                    **key_env(self.database_url),
                    "KYCRAIL_LOG_LEVEL": "warning",
                    "KYCRAIL_RATE_LIMIT_PER_SECOND": "0",
                    "KYCRAIL_WEBHOOK_ALLOW_HTTP": "true",
                    "KYCRAIL_WEBHOOK_ALLOW_PRIVATE_HOSTS": "true",
                    **self.env,
                },
            )
        eventually_sync(self._ready, START_TIMEOUT_SECONDS, describe=self.log_tail)

    def _ready(self) -> bool:
        assert self.process is not None
        assert self.process.poll() is None, f"kycrail {self.command} exited early:\n{self.log_tail()}"
        if self.command != "serve":
            return "delivering webhooks" in self.log_tail()
        return status_at(f"{self.base_url}/healthz") == 200

    def kill(self) -> None:
        assert self.process is not None
        sigkill(self.process)

    def stop(self) -> None:
        stop(self.process)


@asynccontextmanager
async def started(*processes: Process) -> AsyncIterator[None]:
    try:
        await asyncio.gather(*(asyncio.to_thread(one.start) for one in processes))
        yield
    finally:
        await asyncio.gather(*(asyncio.to_thread(one.stop) for one in processes))


async def api_headers(database_url: str) -> dict[str, str]:
    async with database(database_url) as engine:
        created = await tenants.create_key(engine, TENANT, Role.api)
    return {"Authorization": f"Bearer {created.secret}"}


async def retries_scheduled(engine: AsyncEngine, count: int) -> bool:
    """Whether ``count`` deliveries were tried, failed and recorded: waiting out their backoff, leased
    by no worker."""
    d = webhook_deliveries
    waiting = (d.c.state == "pending", d.c.attempts >= 1, d.c.leased_until.is_(None))
    return await _deliveries(engine, *waiting) >= count


async def all_delivered(engine: AsyncEngine, count: int) -> bool:
    """Whether the workers recorded ``count`` deliveries as delivered."""
    return await _deliveries(engine, webhook_deliveries.c.state == "delivered") >= count


async def _deliveries(engine: AsyncEngine, *where: ColumnElement[bool]) -> int:
    async with engine.connect() as connection:
        query = select(func.count()).select_from(webhook_deliveries).where(*where)
        found: int = (await connection.execute(query)).scalar_one()
        return found


async def delivery_rows(database_url: str) -> list[Any]:
    """Every delivery the workers made, in the order they were made (id)."""
    async with database(database_url) as engine, engine.connect() as connection:
        d = webhook_deliveries
        query = select(d.c.message_id, d.c.customer_id, d.c.state).order_by(d.c.id)
        return list(await connection.execute(query))


async def register(api: httpx.AsyncClient, headers: dict[str, str], url: str, events: list[str]) -> str:
    answer = await api.post(
        "/v2/webhook", json={"name": "hooks", "url": url, "events": events}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    secret: str = answer.json()["secret"]
    return secret


def individual(number: int) -> dict[str, Any]:
    body = jane(meta={"n": -1})
    body["email"] = f"hook{number}@example.com"
    body["phone"] = f"+1415556{number:04d}"
    return body


async def write_customer(api: httpx.AsyncClient, headers: dict[str, str], number: int, updates: int) -> str:
    """Create customer ``number`` (meta n = -1), then PATCH meta n = 0 .. updates-1, one after another."""
    created = await api.post("/v2/customer", json=individual(number), headers=headers)
    assert created.status_code == 201, created.text
    customer_id: str = created.json()["id"]
    for n in range(updates):
        patched = await api.patch(f"/v2/customer/{customer_id}", json={"meta": {"n": n}}, headers=headers)
        assert patched.status_code == 200, patched.text
    return customer_id


def first_deliveries(messages: list[Message]) -> list[Message]:
    """Each message id's first 2xx, in the order the receiver got them."""
    seen: set[str] = set()
    firsts = []
    for one in messages:
        if 200 <= one.status < 300 and one.id not in seen:
            seen.add(one.id)
            firsts.append(one)
    return firsts


# --- 1. SIGKILL with undelivered events, then a restart ----------------------------------------------

CUSTOMERS = 4  # at most the worker's sends in flight per endpoint: all first attempts go in one round
UPDATES = 5


async def test_a_sigkilled_server_delivers_every_committed_event_in_order_after_a_restart(
    database_url: str, tmp_path: Path
) -> None:
    headers = await api_headers(database_url)
    server = Process(database_url, tmp_path / "serve.log")  # the worker runs inside serve
    with verifying_receiver(status=500) as hooks:
        async with (
            database(database_url) as engine,
            started(server),
            httpx.AsyncClient(base_url=server.base_url, timeout=30) as api,
        ):
            hooks.secret = await register(api, headers, hooks.url, ["customer.create", "customer.update"])
            ids = await asyncio.gather(*(write_customer(api, headers, i, UPDATES) for i in range(CUSTOMERS)))
            # The worker has tried (and failed) each customer's first event, and recorded each retry's
            # time: now kill it, mid-schedule.
            await eventually(
                lambda: len({m.id for m in hooks.snapshot()}) >= CUSTOMERS, 20, describe=server.log_tail
            )
            await eventually(lambda: retries_scheduled(engine, CUSTOMERS), 20, describe=server.log_tail)
            await asyncio.to_thread(server.kill)
        assert hooks.delivered() == []  # everything still undelivered when it died
        tried_before = len(hooks.snapshot())

        hooks.status = 200  # the receiver recovers; the server comes back on the same database
        restarted = Process(database_url, tmp_path / "serve-again.log", port=server.port)
        async with database(database_url) as engine, started(restarted):
            expected = CUSTOMERS * (1 + UPDATES)
            # Retries wait out their backoff (5 s after one failure) and any lease the kill left (60 s).
            await eventually(
                lambda: len(first_deliveries(hooks.snapshot())) >= expected, 120, describe=restarted.log_tail
            )
            # Each outcome recorded before the server stops (the rows are read below).
            await eventually(lambda: all_delivered(engine, expected), 20, describe=restarted.log_tail)

    assert hooks.refused == []  # every request counted verified with standardwebhooks
    assert len(hooks.snapshot()) > tried_before
    firsts = first_deliveries(hooks.snapshot())
    assert len(firsts) == expected
    by_customer: dict[str, list[tuple[str, Any]]] = {}
    for one in firsts:
        data = one.payload["data"]
        by_customer.setdefault(data["id"], []).append((one.payload["name"], data["meta"]["n"]))
    assert set(by_customer) == set(ids)
    for customer_id, got in by_customer.items():  # each customer's events, in the order written
        assert got == [("customer.create", -1)] + [("customer.update", n) for n in range(UPDATES)], (
            customer_id
        )
    rows = await delivery_rows(database_url)
    assert [row.state for row in rows] == ["delivered"] * expected
    assert {row.message_id for row in rows} == {one.id for one in firsts}
    for customer_id in ids:  # the receiver's order per customer is the order the deliveries were made
        made = [row.message_id for row in rows if row.customer_id == customer_id]
        assert made == [one.id for one in firsts if one.payload["data"]["id"] == customer_id]


# --- 2. two workers share the outbox: exactly once ---------------------------------------------------

EVENTS_CUSTOMERS = 100
EVENTS_UPDATES = 9  # 100 creates + 900 updates = 1,000 events
DELIVERY_BOUND_SECONDS = 120
DUPLICATE_SECONDS = 1.0  # a send already under way reaches a receiver on 127.0.0.1 well within this


@pytest.mark.skipif(
    not POSTGRES_URL,
    reason="several worker processes share one outbox on PostgreSQL only (SQLite: one machine, one "
    "process; set KYCRAIL_TEST_DATABASE_URL)",
)
async def test_two_worker_processes_deliver_a_thousand_events_exactly_once(
    database_url: str, tmp_path: Path
) -> None:
    headers = await api_headers(database_url)
    api_process = Process(database_url, tmp_path / "api.log", env={"KYCRAIL_WEBHOOK_WORKER": "false"})
    workers = [Process(database_url, tmp_path / f"worker-{i}.log", command="worker") for i in range(2)]
    expected = EVENTS_CUSTOMERS * (1 + EVENTS_UPDATES)
    with verifying_receiver() as hooks:
        async with (
            database(database_url) as engine,
            started(api_process, *workers),
            httpx.AsyncClient(base_url=api_process.base_url, timeout=30) as api,
        ):
            hooks.secret = await register(api, headers, hooks.url, ["customer.create", "customer.update"])
            room = asyncio.Semaphore(16)

            async def one(number: int) -> str:
                async with room:
                    return await write_customer(api, headers, number, EVENTS_UPDATES)

            ids = await asyncio.gather(*(one(i) for i in range(EVENTS_CUSTOMERS)))
            await eventually(
                lambda: len(hooks.delivered()) >= expected,
                DELIVERY_BOUND_SECONDS,
                describe=lambda: f"{len(hooks.delivered())} of {expected}\n{workers[0].log_tail()}",
            )
            # Every outcome recorded: no worker claims any of them again...
            await eventually(lambda: all_delivered(engine, expected), 20, describe=workers[0].log_tail)
            # ...and a send already on its way (one delivery sent by both workers) would arrive now.
            await stays(
                lambda: len(hooks.snapshot()) == expected,
                DUPLICATE_SECONDS,
                describe=lambda: len(hooks.snapshot()),
            )
            assert all(w.process is not None and w.process.poll() is None for w in workers)

    assert hooks.refused == []
    received = hooks.snapshot()
    assert all(one.status == 200 for one in received)  # a healthy receiver: no retries were needed
    message_ids = [one.id for one in received]
    assert len(message_ids) == expected
    assert len(set(message_ids)) == expected  # no webhook-id twice
    rows = await delivery_rows(database_url)
    assert {row.message_id for row in rows} == set(message_ids)  # none missing
    assert {row.state for row in rows} == {"delivered"}
    # Each customer's events arrived in the order they were written, across both workers.
    by_customer: dict[str, list[Any]] = {}
    for message in received:
        by_customer.setdefault(message.payload["data"]["id"], []).append(message.payload["data"]["meta"]["n"])
    assert set(by_customer) == set(ids)
    assert all(got == list(range(-1, EVENTS_UPDATES)) for got in by_customer.values())


# --- 3. erased between dispatch and send: nothing is sent -----------------------------------------


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url, sandbox=True)  # http on loopback, for the receiver


async def test_a_customer_erased_between_dispatch_and_send_gets_nothing_sent(
    client: httpx.AsyncClient, make_key: Any, storage: Storage, settings: Settings
) -> None:
    headers = {"Authorization": f"Bearer {await make_key(TENANT)}"}
    admin = {"Authorization": f"Bearer {await make_key(TENANT, Role.admin)}"}
    worker = webhook_worker(storage, settings)
    try:
        with verifying_receiver() as hooks:
            hooks.secret = await register(client, headers, hooks.url, ["*"])
            created = await client.post("/v2/customer", json=individual(1), headers=headers)
            assert created.status_code == 201, created.text
            customer_id = created.json()["id"]
            patched = await client.patch(
                f"/v2/customer/{customer_id}", json={"meta": {"n": 0}}, headers=headers
            )
            assert patched.status_code == 200
            assert await worker.dispatch_once() > 0
            dispatched = await delivery_rows(settings.database_url)
            assert dispatched
            assert {row.state for row in dispatched} == {"pending"}

            erased = await client.post(f"/ops/customers/{customer_id}/erase", headers=admin)
            assert erased.status_code == 204, erased.text
            for _ in range(10):  # what erasure itself put in the outbox is dispatched and sent too
                await worker.dispatch_once()
                if await worker.deliver_once() == 0:
                    break
            sent_about_them = [one for one in hooks.snapshot() if customer_id in json.dumps(one.payload)]
    finally:
        await worker.aclose()

    assert hooks.refused == []
    assert sent_about_them == []  # nothing at all about an erased customer
    rows = {row.message_id: row.state for row in await delivery_rows(settings.database_url)}
    assert all(rows[row.message_id] == "dead" for row in dispatched), rows
