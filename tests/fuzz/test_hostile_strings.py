"""Hostile strings in random fields of valid bodies, through HTTP: the property that no such text gets in.

Each example takes a valid create or update body of either dialect, puts hostile strings (lone
surrogates, controls, bidirectional controls, decomposed accents, mixed with ordinary text; see
``hostile.py``) into one or two of its text fields and, sometimes, a meta key or value, and sends it as
ASCII JSON (how a lone surrogate travels). Whatever the answer:

- it is never a 5xx, and its body is valid UTF-8 JSON;
- a 4xx points at what it refuses (every error carries a pointer), and nothing is written: the stored
  customers and the audit trail are exactly as before;
- a 2xx shows only text a client could send (no control character but tab and newline in meta values,
  no surrogate, names in NFC), in both dialects;
- the tenant's lists answer 200 afterwards.

Bounded and deterministic (500 derandomized examples, seconds); runs on the test database, PostgreSQL
included (where a NUL in stored text used to be a 500).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
import hypothesis
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.app import create_app
from kycrail.config import to_async_database_url
from kycrail.customers.tables import customer_events, customers
from kycrail.db import create_engine
from kycrail.tenants import service
from kycrail.tenants.keys import Role
from tests.api.bodies import (
    V1,
    V1_BUSINESS,
    V1_INDIVIDUAL,
    V2,
    V2_BUSINESS,
    V2_INDIVIDUAL,
    V2_PATCH,
    text_fields,
    with_value,
)
from tests.fuzz.hostile import hostile_strings, storage_problems
from tests.settings import settings_for

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out

MAX_EXAMPLES = 500


@dataclass(frozen=True)
class Target:
    name: str
    method: str
    url: str  # "{id}" is the customer the fixture made in that dialect
    body: dict[str, Any]
    meta: str  # the meta field's name in this dialect


TARGETS = (
    Target("v2-create", "POST", V2, V2_INDIVIDUAL, "meta"),
    Target("v2-create-business", "POST", V2, V2_BUSINESS, "meta"),
    Target("v2-update", "PATCH", V2 + "/{id}", V2_PATCH, "meta"),
    Target("v1-create", "POST", V1, V1_INDIVIDUAL, "metadata"),
    Target("v1-create-business", "POST", V1, V1_BUSINESS, "metadata"),
    Target("v1-update", "PUT", V1 + "/{id}", V1_INDIVIDUAL, "metadata"),
)


@dataclass(frozen=True)
class HostileRequest:
    target: Target
    fields: dict[str, str]  # pointer -> hostile string
    meta: dict[str, str]  # entries added to meta, with a hostile key or value

    def body(self, serial: int) -> dict[str, Any]:
        body = self.target.body
        if "email" in body:  # unique contacts, so that an accepted create is not a duplicate
            body = with_value(body, "/email", f"user{serial}@example.com")
            body = with_value(body, "/phone", f"+1415555{serial % 10_000:04d}")
        for pointer, text in self.fields.items():
            body = with_value(body, pointer, text)
        if self.meta:
            body = with_value(body, f"/{self.target.meta}", {**body.get(self.target.meta, {}), **self.meta})
        return body


@st.composite
def hostile_requests(draw: st.DrawFn) -> HostileRequest:
    target = draw(st.sampled_from(TARGETS))
    pointers = [pointer for pointer, _ in text_fields(target.body)]
    chosen = draw(st.lists(st.sampled_from(pointers), min_size=0, max_size=2, unique=True))
    fields = {pointer: draw(hostile_strings()) for pointer in chosen}
    meta: dict[str, str] = {}
    if not fields or draw(st.booleans()):
        key, value = draw(
            st.sampled_from(
                [
                    (hostile_strings(), st.just("x")),
                    (st.just("note"), hostile_strings()),
                    (hostile_strings(), hostile_strings()),
                ]
            )
        )
        meta[draw(key)] = draw(value)
    return HostileRequest(target, fields, meta)


# --- the app under test ---------------------------------------------------------------------------


@pytest.fixture
def api_key(database_url: str) -> str:
    """A key made through the real service, on a short-lived engine of its own."""

    async def create() -> str:
        engine = create_engine(to_async_database_url(database_url))
        try:
            return (await service.create_key(engine, "hostile", Role.api)).secret
        finally:
            await engine.dispose()

    return asyncio.run(create())


async def _stored(engine: AsyncEngine) -> tuple[list[dict[str, Any]], int]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(customers).order_by(customers.c.id))
        events = await connection.scalar(select(func.count()).select_from(customer_events))
    return [dict(row._mapping) for row in rows], int(events or 0)


@dataclass
class Api:
    """The app, served on its own event loop in a thread: the property test itself is synchronous."""

    portal: BlockingPortal
    client: httpx.AsyncClient
    engine: AsyncEngine
    ids: dict[str, str]  # dialect url -> a customer made there
    serials: Iterator[int] = field(default_factory=itertools.count)  # for unique emails and phones

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.portal.call(partial(self.client.request, method, url, **kwargs))

    def stored(self) -> tuple[list[dict[str, Any]], int]:
        """Every customer row and the number of audit events."""
        return self.portal.call(_stored, self.engine)


@pytest.fixture
def api(database_url: str, api_key: str) -> Iterator[Api]:
    """The app (rate limit off: hundreds of requests from one key) with a customer in each dialect."""
    app = create_app(
        settings_for(database_url, sandbox=True, rate_limit_per_second=0, auth_failures_per_minute=0)
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    client = httpx.AsyncClient(
        transport=transport, base_url="http://kycrail.test", headers={"Authorization": f"Bearer {api_key}"}
    )
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(app.router.lifespan_context(app)),
    ):
        served = Api(portal, client, app.state.resources.engine, {})
        for url, body in ((V2, V2_INDIVIDUAL), (V1, V1_INDIVIDUAL)):
            response = served.request("POST", url, json=body)
            assert response.status_code == 201, response.text
            served.ids[url] = response.json()["id"]
        yield served
        portal.call(client.aclose)


# --- the property ---------------------------------------------------------------------------------


@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # One app for every example, on purpose: each example checks its own effect on the shared store.
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture, hypothesis.HealthCheck.too_slow],
)
@hypothesis.given(hostile=hostile_requests())
def test_hostile_strings_never_get_in(api: Api, hostile: HostileRequest) -> None:
    target = hostile.target
    dialect = V2 if target.url.startswith(V2) else V1
    url = target.url.format(id=api.ids[dialect])
    body = hostile.body(next(api.serials))
    before = api.stored()

    response = api.request(
        target.method, url, content=json.dumps(body), headers={"Content-Type": "application/json"}
    )

    hypothesis.event(f"{target.name}: {response.status_code}")  # pytest --hypothesis-show-statistics
    assert response.status_code < 500, response.text
    answer = json.loads(response.content.decode("utf-8"))
    if response.status_code >= 400:
        assert answer["errors"], answer
        assert all(error.get("pointer") is not None for error in answer["errors"]), answer
        assert api.stored() == before
    else:
        customer_id = answer["id"]
        for read in (f"{V2}/{customer_id}", f"{V1}/{customer_id}"):
            shown = api.request("GET", read)
            assert shown.status_code == 200, shown.text
            assert storage_problems(shown.json()) == []
    for listing in (V2, V1):
        assert api.request("GET", listing, params={"limit": 100}).status_code == 200
