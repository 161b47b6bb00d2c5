"""One form for every time kycrail writes (issue 24, item 7): ISO 8601 in UTC with exactly three
fractional digits and ``Z`` (``2026-03-09T20:46:31.305Z``, as SpherePay's seed writes them), in both
dialects, the audit trail, the delivery log, events and webhook payloads.

One scenario runs every operation of the OpenAPI document (the test fails when one is added and not
run here) and scans every answer, and every webhook payload delivered, for any other form."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kycrail.app import webhook_worker
from kycrail.config import Settings
from kycrail.storage import Storage
from tests.api import documents
from tests.api.receiver import receiver
from tests.api.test_kyc_decisions import pending_emily
from tests.api.test_sumsub_webhooks import SECRET, notification, signed
from tests.factories import jane
from tests.screening.listed import EMILY_LISTED, load
from tests.settings import settings_for

LOOKS_LIKE_A_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
WIRE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url, sandbox=True, sumsub_webhook_secret=SECRET)


def _strings(value: Any, at: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{at}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{at}/{index}")
    elif isinstance(value, str):
        yield at, value


def odd_times(body: Any) -> list[str]:
    """Every string of ``body`` that holds a time in another form than the wire's."""
    return [
        f"{at}: {text}"
        for at, text in _strings(body)
        if LOOKS_LIKE_A_TIME.search(text) and not WIRE_TIME.fullmatch(text)
    ]


def test_the_scan_finds_the_forms_that_were_seen() -> None:
    assert odd_times({"a": "2026-12-07T13:54:25.135Z", "birthDate": "1990-05-17"}) == []
    seen = ["2026-12-07T13:54:06.657382Z", "2026-12-07T13:54:06Z", "2026-12-07T13:54:06.657+00:00"]
    assert len(odd_times({"changes": [{"to": text} for text in seen]})) == len(seen)


class Scenario:
    """Runs operations, keeping every JSON answer and which operation each one answered."""

    def __init__(self, client: httpx.AsyncClient, document: dict[str, Any]) -> None:
        self.client = client
        self.operations = {
            (method.upper(), path) for path, item in document["paths"].items() for method in item
        }
        self.run: set[tuple[str, str]] = set()
        self.bodies: list[tuple[str, Any]] = []

    async def call(
        self,
        method: str,
        template: str,
        *,
        expect: int = 200,
        path: dict[str, str] | None = None,
        **sent: Any,
    ) -> Any:
        url = template.format(**(path or {}))
        answer = await self.client.request(method, url, **sent)
        assert answer.status_code == expect, (method, url, answer.text)
        self.run.add((method, template))
        if not answer.content:
            return None
        if not answer.headers["content-type"].startswith("application/json"):
            return answer.content  # a document's file: no times in it
        self.bodies.append((f"{method} {url}", answer.json()))
        return answer.json()

    def keep(self, where: str, body: Any) -> None:
        self.bodies.append((where, body))


async def test_every_operation_and_payload_writes_times_one_way(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    admin_headers: dict[str, str],
    storage: Storage,
    settings: Settings,
) -> None:
    app.state.emulator.webhooks.config = None  # SumSub's webhooks: sent by hand below
    run = Scenario(client, app.openapi())
    key = {"headers": headers}
    with receiver() as hooks:
        await run.call("GET", "/healthz")
        await run.call("GET", "/readyz")
        sphere_hook = await run.call(
            "POST", "/v2/webhook", expect=201, json={"name": "all", "url": hooks.url, "events": ["*"]}, **key
        )
        swipelux_hook = await run.call(
            "POST", "/v1/webhooks", expect=201, json={"url": hooks.url, "events": ["*"]}, **key
        )
        sphere_id, swipelux_id = {"webhook_id": sphere_hook["id"]}, {"webhook_id": swipelux_hook["id"]}
        await run.call("GET", "/v2/webhook", **key)
        await run.call("GET", "/v2/webhook/{webhook_id}", path=sphere_id, **key)
        await run.call("GET", "/v1/webhooks", **key)
        await run.call("GET", "/v1/webhooks/{webhook_id}", path=swipelux_id, **key)

        # SpherePay: a customer through review, with documents, a link, events (submitted_at, documents'
        # and the review's times are in the audit trail's changes).
        await load(storage, EMILY_LISTED)  # she is on a list: a hit, cleared by a reviewer below
        emily = {"customer_id": await pending_emily(client, headers)}
        await run.call("POST", "/v2/customer", expect=201, json=jane(phone="+14155550177"), **key)
        await run.call("GET", "/v2/customer", **key)
        await run.call("GET", "/v2/customer/{customer_id}", path=emily, **key)
        patch = {"meta": {"internalUserId": "usr_9912"}}
        await run.call("PATCH", "/v2/customer/{customer_id}", path=emily, json=patch, **key)
        document = {
            "target": "customer",
            "targetId": emily["customer_id"],
            "documentType": "proof_of_address",
        }
        files = {"file": ("proof.pdf", documents.pdf(2), "application/pdf")}
        stored = await run.call("POST", "/v2/document", expect=201, data=document, files=files, **key)
        await run.call("GET", "/v2/document", params={"targetId": emily["customer_id"]}, **key)
        await run.call("GET", "/v2/document/{document_id}", path={"document_id": stored["id"]}, **key)
        await run.call("GET", "/v2/document/{document_id}/file", path={"document_id": stored["id"]}, **key)
        await run.call("POST", "/v2/customer/{customer_id}/kyc-link", path=emily, **key)
        reviewer = {"headers": reviewer_headers}
        found = await run.call("GET", "/ops/customers/{customer_id}/screening", path=emily, **reviewer)
        hit = {**emily, "hit_id": found["hits"][0]["id"]}
        cleared = {"resolution": "false_positive", "reason": "Another person: passport checked."}
        await run.call(
            "POST", "/ops/customers/{customer_id}/screening/{hit_id}", path=hit, json=cleared, **reviewer
        )
        decision = {"decision": "approved", "reasons": [], "final": False}
        await run.call(
            "POST", "/ops/customers/{customer_id}/review", path=emily, json=decision, headers=reviewer_headers
        )
        await run.call("GET", "/v2/customer/{customer_id}/events", path=emily, **key)

        # Swipelux: created empty, imported, imported again, a link, events.
        created = await run.call("POST", "/v1/customers", expect=201, json={}, **key)
        swipelux = {"customer_id": created["id"]}
        mint = {"applicant": "approved", "ttlInSecs": 600}
        token = (await run.call("POST", "/sandbox/share-tokens", expect=201, json=mint, **key))["shareToken"]
        await run.call("PUT", "/v1/customers/{customer_id}", path=swipelux, json={"shareToken": token}, **key)
        again = (await run.call("POST", "/sandbox/share-tokens", expect=201, json=mint, **key))["shareToken"]
        await run.call(
            "POST", "/v1/customers/{customer_id}/kyc/import", path=swipelux, json={"shareToken": again}, **key
        )
        await run.call("GET", "/v1/customers", **key)
        await run.call("GET", "/v1/customers/{customer_id}", path=swipelux, **key)
        await run.call("POST", "/v1/customers/{customer_id}/kyc", path=emily, **key)
        await run.call("GET", "/v1/customers/{customer_id}/events", path=swipelux, **key)

        # SumSub's webhook about the applicant the link opened.
        emulator = app.state.emulator
        applicant = emulator.applicants[emulator.applicant_id_for(emily["customer_id"])]
        body, signature = signed(notification(applicant, "applicantCreated"))
        await run.call("POST", "/webhooks/sumsub", content=body, headers=signature)

        # Every event out, delivered; the logs, a retry, an event read back.
        worker = webhook_worker(storage, settings)
        try:
            await worker.dispatch_once()
            for _ in range(30):  # a customer's events go one after the other
                if await worker.deliver_once() == 0:
                    break
        finally:
            await worker.aclose()
        assert hooks.delivered, "nothing was delivered"
        for delivered in hooks.delivered:
            run.keep(f"webhook {delivered.headers['webhook-id']}", json.loads(delivered.body))
        logged = await run.call("GET", "/v2/webhook/{webhook_id}/deliveries", path=sphere_id, **key)
        sphere_delivery = {**sphere_id, "delivery_id": logged["deliveries"][0]["id"]}
        await run.call(
            "GET", "/v2/event/{event_id}", path={"event_id": sphere_delivery["delivery_id"]}, **key
        )
        logged = await run.call("GET", "/v1/webhooks/{webhook_id}/deliveries", path=swipelux_id, **key)
        swipelux_delivery = {**swipelux_id, "delivery_id": logged["data"][0]["id"]}
        retry = "/{webhook_id}/deliveries/{delivery_id}/retry"
        await run.call("POST", "/v2/webhook" + retry, expect=202, path=sphere_delivery, **key)
        await run.call("POST", "/v1/webhooks" + retry, expect=202, path=swipelux_delivery, **key)

        # The ends of things.
        await run.call("DELETE", "/v2/webhook/{webhook_id}", expect=204, path=sphere_id, **key)
        await run.call("DELETE", "/v1/webhooks/{webhook_id}", expect=204, path=swipelux_id, **key)
        await run.call("DELETE", "/v1/customers/{customer_id}", expect=204, path=swipelux, **key)
        await run.call("DELETE", "/v2/customer/{customer_id}", expect=204, path=emily, **key)
        await run.call(
            "POST", "/ops/customers/{customer_id}/erase", expect=204, path=emily, headers=admin_headers
        )
        await run.call("GET", "/v2/customer/{customer_id}/events", path=emily, **key)

    assert run.operations - run.run == set(), "operations this scenario does not run yet"
    found = [f"{where} {odd}" for where, body in run.bodies for odd in odd_times(body)]
    assert found == [], "\n".join(found)
