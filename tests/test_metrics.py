"""``GET /metrics`` (issue 24, item 8), in process: each metric family, and who may read them.

Counts are the process's own for the whole test session (prometheus-client keeps them per process, as
a server does), so each test compares a scrape before with a scrape after what it does.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert, select, update

from kycrail import db, serving
from kycrail.api import pipeline
from kycrail.api.common.middleware import limits
from kycrail.app import create_app
from kycrail.applicants.tables import provider_applicants
from kycrail.config import Settings
from kycrail.customers.tables import customers
from kycrail.db import utc_now, write_transaction
from kycrail.metrics import database, endpoint
from kycrail.metrics.families import MULTIPROCESS_DIRECTORY, Families
from kycrail.metrics.pool import Lending
from kycrail.metrics.requests import RequestMetricsMiddleware
from kycrail.screening import lists
from kycrail.screening.tables import sanctions_current, sanctions_versions
from kycrail.storage import Storage
from kycrail.sumsub.client import SumsubClient
from kycrail.sumsub.errors import SumsubError
from kycrail.webhooks.tables import webhook_deliveries
from tests.conftest import KeyFactory
from tests.factories import jane
from tests.settings import settings_for
from tests.waiting import eventually
from tests.webhooks.test_fair_claim import Tenant, backlog, tenant, webhook
from tests.webhooks.test_fair_claim import insert as insert_deliveries

TOKEN = "metrics-" + secrets.token_urlsafe(24)
SCRAPE = {"Authorization": f"Bearer {TOKEN}"}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Webhooks to a loopback URL that nothing is ever sent to: the deliveries' backlog is under test.
    return settings_for(
        database_url, metrics_token=TOKEN, webhook_allow_http=True, webhook_allow_private_hosts=True
    )


@pytest.fixture(autouse=True)
def fresh_readings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each scrape reads the database anew (a server shares one reading among scrapes within a second)."""
    monkeypatch.setattr(database, "REUSE_SECONDS", 0)


def samples(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    """One sample's value; 0 when the scrape does not hold it (yet)."""
    return found.get((name, frozenset(labels.items())), 0.0)


async def scrape(client: httpx.AsyncClient) -> Samples:
    answer = await client.get("/metrics", headers=SCRAPE)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return samples(answer.text)


# --- requests ------------------------------------------------------------------------------------


async def test_requests_are_counted_by_route_template_method_status_and_dialect(
    client: httpx.AsyncClient, api_key: str
) -> None:
    keyed = {"X-API-Key": api_key}
    secret_id = "customer_" + uuid.uuid4().hex  # an id: personal, unbounded, never a label
    before = await scrape(client)
    assert (await client.get(f"/v2/customer/{secret_id}", headers=keyed)).status_code == 404
    assert (await client.get(f"/v1/customers/{secret_id}", headers=keyed)).status_code == 404
    assert (await client.get("/v1/customers", headers=keyed)).status_code == 200
    assert (await client.get("/v2/customer/")).status_code == 401  # one path with or without the slash
    assert (await client.get(f"/nowhere/{secret_id}")).status_code == 404
    assert (await client.request("BREW", "/healthz")).status_code == 405
    assert (
        await client.post(f"/ops/customers/{secret_id}/review", json={}, headers=keyed)
    ).status_code == 403
    answer = await client.get("/metrics", headers=SCRAPE)
    after = samples(answer.text)

    assert secret_id not in answer.text
    counted = {
        ("/v2/customer/{customer_id}", "GET", "404", "sphere"): 1,
        ("/v1/customers/{customer_id}", "GET", "404", "swipelux"): 1,
        ("/v1/customers", "GET", "200", "swipelux"): 1,
        ("/v2/customer", "GET", "401", "sphere"): 1,
        ("unmatched", "GET", "404", "other"): 1,  # a path no route serves: one label for them all
        ("/healthz", "other", "405", "other"): 1,  # a method outside HTTP's own: one label too
        ("/ops/customers/{customer_id}/review", "POST", "403", "ops"): 1,
        ("/metrics", "GET", "200", "other"): 1,  # the scrape before
    }
    for (route, method, status, dialect), count in counted.items():
        labels = {"route": route, "method": method, "status": status, "dialect": dialect}
        total = "kycrail_http_requests_total"
        assert value(after, total, **labels) - value(before, total, **labels) == count, labels
        duration = "kycrail_http_request_duration_seconds_count"
        assert value(after, duration, **labels) - value(before, duration, **labels) == count, labels
        bucket = "kycrail_http_request_duration_seconds_bucket"  # +Inf: every observation
        assert value(after, bucket, **labels, le="+Inf") == value(after, duration, **labels)


def test_the_metrics_stage_is_the_outermost(app: FastAPI) -> None:
    """It sees every answer, whichever stage gives it (a 404 before any key is checked, a 500 that the
    request context renders), and times all of the app's work."""
    assert pipeline.STAGES[0] is RequestMetricsMiddleware
    assert app.user_middleware[0].cls is RequestMetricsMiddleware


async def test_each_process_answers_for_its_own_requests(client: httpx.AsyncClient) -> None:
    """In one process, the requests by process are that process's requests: all of them."""
    found = await scrape(client)
    processes = {
        dict(labels)["pid"]: count
        for (name, labels), count in found.items()
        if name.endswith("process_http_requests_total")
    }
    total = sum(count for (name, _), count in found.items() if name == "kycrail_http_requests_total")
    assert len(processes) == 1
    assert next(iter(processes.values())) == total > 0


async def test_a_request_that_fails_unexpectedly_is_counted_as_the_500_it_answers(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    @app.get("/v2/boom-metrics")
    async def boom() -> None:
        raise RuntimeError("boom")

    labels = {"route": "/v2/boom-metrics", "method": "GET", "status": "500", "dialect": "sphere"}
    before = await scrape(client)
    assert (await client.get("/v2/boom-metrics")).status_code == 500
    after = await scrape(client)
    total = "kycrail_http_requests_total"
    assert value(after, total, **labels) - value(before, total, **labels) == 1


# --- who may read them -------------------------------------------------------------------------------


async def test_without_a_token_configured_metrics_is_an_unknown_path(database_url: str) -> None:
    app = create_app(settings_for(database_url))
    async with app.router.lifespan_context(app), _over_asgi(app) as client:
        for headers in ({}, SCRAPE):
            answer = await client.get("/metrics", headers=headers)
            unknown = await client.get("/metricz", headers=headers)
            assert answer.status_code == unknown.status_code == 404
            assert answer.json()["code"] == unknown.json()["code"] == "resource/not-found"


async def test_a_token_read_from_a_file_with_its_newline_still_opens_it(database_url: str) -> None:
    app = create_app(settings_for(database_url, metrics_token=f"{TOKEN}\n"))
    async with app.router.lifespan_context(app), _over_asgi(app) as client:
        assert (await client.get("/metrics", headers=SCRAPE)).status_code == 200


async def test_a_scrape_needs_the_token_and_nothing_else_opens_it(
    client: httpx.AsyncClient, api_key: str
) -> None:
    refused: list[dict[str, str]] = [
        {},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer "},
        {"X-API-Key": TOKEN},  # the token, but not as a bearer
        {"Authorization": f"Bearer {api_key}"},  # API keys never reach it
        {"X-API-Key": api_key},
    ]
    for headers in refused:
        answer = await client.get("/metrics", headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json()["code"] == "unauthorized"
        assert "metrics token" in answer.json()["detail"]
        assert "API key" not in answer.json()["detail"]
        assert answer.headers["www-authenticate"] == "Bearer"
    for path in ("/metrics", "/metrics/"):
        assert (await client.get(path, headers=SCRAPE)).status_code == 200
        assert (await client.get(path, headers={"Authorization": f"bearer {TOKEN}"})).status_code == 200
    assert (await client.post("/metrics", headers=SCRAPE)).status_code == 405


async def test_metrics_is_not_part_of_the_api_document(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert not [path for path in document["paths"] if "metrics" in path]


async def test_the_token_is_never_looked_up_or_counted_as_a_failing_api_key(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kycrail.tenants import service

    looked_up: list[str] = []
    authenticate = service.authenticate

    async def spied(engine: Any, key: str, cache: Any) -> Any:
        looked_up.append(key)
        return await authenticate(engine, key, cache)

    monkeypatch.setattr(service, "authenticate", spied)
    settings = settings_for(database_url, metrics_token=TOKEN, auth_failures_per_minute=2)
    app = create_app(settings)
    async with app.router.lifespan_context(app), _over_asgi(app) as client:
        wrong = {"Authorization": "Bearer kr_" + "x" * 43}
        statuses = [(await client.get("/metrics", headers=wrong)).status_code for _ in range(5)]
        statuses += [(await client.get("/metrics", headers=SCRAPE)).status_code for _ in range(3)]
        assert statuses == [401] * 5 + [200] * 3  # never 429: no failed key was counted
        assert looked_up == []
        # The address's allowance of failing keys is whole: two 401s before the 429.
        bad = [(await client.get("/v1/customers", headers=wrong)).status_code for _ in range(3)]
        assert bad == [401, 401, 429]


async def test_a_scrape_is_answered_when_every_place_in_flight_is_taken(
    database_url: str, make_key: KeyFactory
) -> None:
    assert endpoint.PATH in limits.UNCAPPED_PATHS
    settings = settings_for(
        database_url, metrics_token=TOKEN, max_requests_in_flight=2, body_timeout_seconds=30
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app), _over_asgi(app) as client:
        headers = {"X-API-Key": await make_key("acme"), "Content-Type": "application/json"}
        release = asyncio.Event()

        async def held(reading: asyncio.Event) -> AsyncIterator[bytes]:
            reading.set()  # the route reads the body: the request holds its place
            await release.wait()
            yield b"{}"

        reading = [asyncio.Event(), asyncio.Event()]
        holding = [
            asyncio.create_task(client.post("/v1/customers", content=held(event), headers=headers))
            for event in reading
        ]
        try:
            await asyncio.wait_for(asyncio.gather(*(event.wait() for event in reading)), 10)
            assert (await client.get("/v1/customers", headers=headers)).status_code == 503
            assert (await client.get("/metrics", headers=SCRAPE)).status_code == 200  # busy: when it matters
        finally:
            release.set()
        assert [(await task).status_code for task in holding] == [201, 201]


def test_serve_makes_a_directory_for_the_workers_metrics_only_with_metrics_on(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MULTIPROCESS_DIRECTORY, raising=False)
    with serving.metric_files(settings_for(database_url)) as none:
        assert none is None
        assert MULTIPROCESS_DIRECTORY not in os.environ
    with serving.metric_files(settings_for(database_url, metrics_token=TOKEN)) as directory:
        assert directory is not None
        assert os.environ[MULTIPROCESS_DIRECTORY] == str(directory)
        assert list(directory.iterdir()) == []  # fresh: nothing of an earlier run is summed in
        (directory / "counter_1.db").write_bytes(b"")
    assert not directory.exists()
    assert MULTIPROCESS_DIRECTORY not in os.environ
    with serving.metric_files(settings_for(database_url, metrics_token=" ")) as blank:
        assert blank is None  # a blank token is no token: metrics stay off


# --- the database pool -------------------------------------------------------------------------------


async def test_the_pool_shows_connections_in_use_and_the_lends_that_waited(settings: Settings) -> None:
    """On a database of the test's own, counted apart: the app's background work lends connections too."""
    engine = db.create_engine(settings.database_url, pool_size=1)
    database = db.database_of(engine)
    counted = Families()
    database.lending = Lending(1, counted)

    def gauge(name: str) -> float:
        return counted.registry.get_sample_value(name) or 0.0

    async def lend_once() -> None:
        async with database.connect():
            pass

    try:
        async with database.connect():
            assert gauge("kycrail_db_pool_connections_in_use") == 1
            waiting = asyncio.create_task(lend_once())
            await eventually(lambda: gauge("kycrail_db_pool_lends_waiting") == 1)
        await waiting
    finally:
        await engine.dispose()
    assert gauge("kycrail_db_pool_size") == 1
    assert gauge("kycrail_db_pool_connections_in_use") == 0
    assert gauge("kycrail_db_pool_lends_waiting") == 0
    assert gauge("kycrail_db_pool_waits_total") == 1
    assert gauge("kycrail_db_pool_wait_seconds_total") > 0


async def test_a_scrape_shows_the_pool(client: httpx.AsyncClient) -> None:
    found = await scrape(client)
    assert value(found, "kycrail_db_pool_size") >= 1
    for name in ("kycrail_db_pool_connections_in_use", "kycrail_db_pool_lends_waiting"):
        assert (name, frozenset()) in found
    for name in ("kycrail_db_pool_waits_total", "kycrail_db_pool_wait_seconds_total"):
        assert (name, frozenset()) in found


# --- the provider ----------------------------------------------------------------------------------------


async def test_provider_calls_are_counted_by_operation_and_outcome(client: httpx.AsyncClient) -> None:
    answers = {
        "/resources/sdkIntegrations/levels/-/websdkLink": httpx.Response(
            200, json={"url": "https://x.test/l"}
        ),
        "/resources/applicants/a404/one": httpx.Response(404, json={"description": "not found"}),
        "/resources/applicants/a500/one": httpx.Response(500, json={}),
        "/resources/applicants/a401/one": httpx.Response(401, json={"description": "bad token"}),
    }
    sumsub = SumsubClient(
        "https://sumsub.test",
        "app-token",
        "secret-key",
        5.0,
        transport=httpx.MockTransport(lambda request: answers[request.url.path]),
        retry_backoff_seconds=0,
    )
    before = await scrape(client)
    async with sumsub:
        await sumsub.websdk_link(level_name="basic", user_id="customer_x", ttl_seconds=600)
        for applicant in ("a404", "a500", "a401"):
            with pytest.raises(SumsubError):  # each its own kind (tests/sumsub/test_client.py)
                await sumsub.get_applicant(applicant)
    after = await scrape(client)
    expected = {
        ("websdk_link", "ok"): 1,
        ("get_applicant", "not_found"): 1,
        ("get_applicant", "unavailable"): 3,  # a GET is tried three times
        ("get_applicant", "misconfigured"): 1,
    }
    for (operation, outcome), count in expected.items():
        labels = {"provider": "sumsub", "operation": operation, "outcome": outcome}
        name = "kycrail_provider_calls_total"
        assert value(after, name, **labels) - value(before, name, **labels) == count, labels


# --- read from the database at scrape time ------------------------------------------------------------


async def test_the_webhook_backlog_and_endpoint_health_are_read_from_the_database(
    client: httpx.AsyncClient, make_key: KeyFactory, storage: Storage
) -> None:
    empty = await scrape(client)
    assert value(empty, "kycrail_database_up") == 1
    assert value(empty, "kycrail_webhook_outbox_events_pending") == 0
    assert value(empty, "kycrail_webhook_deliveries_pending") == 0
    assert value(empty, "kycrail_webhook_delivery_lag_seconds") == 0
    for status in ("healthy", "degraded", "failing", "disabled"):
        assert value(empty, "kycrail_webhook_endpoints", status=status) == 0

    owner: Tenant = await tenant(client, make_key, storage, "acme", "+14155550123")
    endpoint_id = await webhook(client, owner, "http://127.0.0.1:9/never")
    now = utc_now()
    due = [now - timedelta(minutes=10), now - timedelta(minutes=1), now + timedelta(hours=1)]
    await insert_deliveries(storage, backlog(owner, endpoint_id, due))
    found = await scrape(client)
    assert value(found, "kycrail_webhook_outbox_events_pending") == 1  # the customer's creation
    assert value(found, "kycrail_webhook_deliveries_pending") == 3  # due or not
    lag = value(found, "kycrail_webhook_delivery_lag_seconds")  # the oldest due: 10 minutes
    assert 600 <= lag < 600 + 120
    assert value(found, "kycrail_webhook_endpoints", status="healthy") == 1


async def test_a_deleted_endpoint_leaves_no_delivery_pending(
    client: httpx.AsyncClient, make_key: KeyFactory, storage: Storage
) -> None:
    owner: Tenant = await tenant(client, make_key, storage, "acme", "+14155550123")
    endpoint_id = await webhook(client, owner, "http://127.0.0.1:9/never")
    await insert_deliveries(storage, backlog(owner, endpoint_id, [utc_now() - timedelta(minutes=10)]))
    assert value(await scrape(client), "kycrail_webhook_deliveries_pending") == 1
    deleted = await client.delete(f"/v1/webhooks/{endpoint_id}", headers=owner.headers)
    assert deleted.status_code == 204, deleted.text
    # Nothing more goes to it: its backlog is dead, not a delivery lag that grows for ever.
    found = await scrape(client)
    assert value(found, "kycrail_webhook_deliveries_pending") == 0
    assert value(found, "kycrail_webhook_delivery_lag_seconds") == 0
    async with db.connect(storage.engine) as connection:
        states = await connection.execute(
            select(webhook_deliveries.c.state).where(webhook_deliveries.c.endpoint_id == endpoint_id)
        )
        assert [state for (state,) in states] == ["dead"]


async def test_the_reconciliation_backlog_counts_the_applicants_in_review(
    client: httpx.AsyncClient, api_key: str, storage: Storage
) -> None:
    ids = []
    for n in range(3):
        body = jane(email=f"applicant.{n}@example.com", phone=f"+1415555012{n}")
        created = await client.post("/v2/customer", json=body, headers={"X-API-Key": api_key})
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    now = utc_now()
    async with write_transaction(storage.engine) as connection:
        tenant_id = (await connection.execute(select(customers.c.tenant_id).limit(1))).scalar_one()
        states = [(False, now - timedelta(minutes=5)), (False, now + timedelta(minutes=5)), (True, now)]
        for customer_id, (final, next_check) in zip(ids, states, strict=True):
            await connection.execute(
                insert(provider_applicants).values(
                    customer_id=customer_id,
                    tenant_id=tenant_id,
                    provider="sumsub",
                    applicant_index=secrets.token_bytes(32),
                    review_state="pending",
                    final=final,
                    next_check_at=next_check,
                    updated_at=now,
                )
            )
    found = await scrape(client)
    assert value(found, "kycrail_reconciliation_applicants_open", provider="sumsub") == 2
    assert value(found, "kycrail_reconciliation_applicants_due", provider="sumsub") == 1
    answer = (await client.get("/metrics", headers=SCRAPE)).text
    assert tenant_id not in answer
    assert not any(customer_id in answer for customer_id in ids)


async def test_the_age_of_each_sanctions_list_in_use_is_read_from_the_database(
    client: httpx.AsyncClient, storage: Storage
) -> None:
    empty = await scrape(client)
    assert not [name for name, _ in empty if name == "kycrail_sanctions_list_age_seconds"]  # none loaded

    files = Path(__file__).parent / "screening" / "sources" / "files"
    await lists.update_all(storage.engine, files / "un")
    await lists.update_all(storage.engine, files / "ofac")
    async with write_transaction(storage.engine) as connection:  # the UN list loaded an hour ago
        un = select(sanctions_current.c.version_id).where(sanctions_current.c.source == "un")
        hour_ago = utc_now() - timedelta(hours=1)
        await connection.execute(
            update(sanctions_versions).where(sanctions_versions.c.id.in_(un)).values(loaded_at=hour_ago)
        )
    found = await scrape(client)
    ages = {
        dict(labels)["list"]: age
        for (name, labels), age in found.items()
        if name == "kycrail_sanctions_list_age_seconds"
    }
    assert set(ages) == {"un", "ofac_sdn", "ofac_consolidated"}
    assert 3600 <= ages["un"] < 3600 + 120
    assert 0 <= ages["ofac_sdn"] < 120


async def test_a_database_that_does_not_answer_leaves_the_process_metrics_answering(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreachable(*_: object) -> Any:
        raise OSError("connection refused")

    monkeypatch.setattr(database, "READINGS", (unreachable,))
    found = await scrape(client)
    assert value(found, "kycrail_database_up") == 0
    assert not [name for name, _ in found if name.startswith("kycrail_webhook_")]
    assert [name for name, _ in found if name == "kycrail_http_requests_total"]


async def test_scrapes_that_come_together_share_one_reading(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    readings: list[object] = []

    async def counted(connection: Any, now: Any) -> list[Any]:
        readings.append(now)
        return []

    monkeypatch.setattr(database, "READINGS", (counted,))
    monkeypatch.setattr(database, "REUSE_SECONDS", 60)
    answers = await asyncio.gather(*(client.get("/metrics", headers=SCRAPE) for _ in range(5)))
    assert [answer.status_code for answer in answers] == [200] * 5
    assert len(readings) == 1


# --- helpers -------------------------------------------------------------------------------------------


def _over_asgi(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kycrail.test")
