"""A dialect is one object (issue 29, item 2): a minimal third one, built here and registered in
``api/dialects.py``'s list, is mounted by the app, answers its errors in its own shape, and gets its
own webhook messages from the worker, with no change to the app, the error renderer or the worker."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from pydantic import BaseModel

from kycrail import errors as e
from kycrail.api import dialects as wire_dialects
from kycrail.api.common.dependencies import CanRead, CustomerId
from kycrail.api.common.dialect import WireDialect
from kycrail.api.common.errors import KEYED, ErrorSpec, ErrorTable
from kycrail.api.common.routes import CheckedRoute
from kycrail.api.common.wire import JSONResponse
from kycrail.api.sphere.errors import ERRORS as SPHERE_ERRORS
from kycrail.app import webhook_worker
from kycrail.config import Settings
from kycrail.customers import service as customers
from kycrail.outbox.service import OpenedEvent
from kycrail.storage import Storage
from kycrail.tenants import service as tenants
from kycrail.webhooks import service as webhooks
from kycrail.webhooks.urls import UrlPolicy
from tests.api.receiver import receiver
from tests.api.test_webhook_delivery import run_until_idle
from tests.settings import settings_for


class V9ErrorOut(BaseModel):
    oops: str
    code: str


def _body(error: e.KycrailError, spec: ErrorSpec, request_id: str) -> dict[str, Any]:
    return {"oops": error.detail, "code": spec.code}


V9_ERRORS = ErrorTable(
    {kind: ErrorSpec(spec.status, f"v9.{kind.__name__}") for kind, spec in SPHERE_ERRORS.specs.items()},
    body=_body,
    model=V9ErrorOut,
    http_code=lambda status: f"v9.http{status}",
)
router = APIRouter(prefix="/v9", route_class=CheckedRoute)


@router.get("/customers/{customer_id}", responses=V9_ERRORS.responses(KEYED, e.NotFound))
async def get_customer(customer_id: CustomerId, caller: CanRead) -> JSONResponse:
    customer = await customers.get_customer(caller.storage, caller.tenant_id, customer_id)
    return JSONResponse({"ident": customer.id, "kind": customer.type.value})


class V9Webhooks:
    def messages(self, opened: OpenedEvent) -> list[tuple[str, str]]:
        return [("", "v9.changed")]

    def payload(self, message_id: str, name: str, opened: OpenedEvent) -> bytes:
        return json.dumps({"v9": opened.customer.id, "event": name}).encode()

    def signature_headers(self, secret: str, body: bytes) -> dict[str, str]:
        return {"v9-signed": str(len(body))}


V9 = WireDialect(
    name="v9", prefix="/v9", routers=(router,), errors=V9_ERRORS, webhooks=V9Webhooks(), examples={}
)


@pytest.fixture
def settings(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The app made with a third dialect in the list (the one line a new dialect adds)."""
    monkeypatch.setattr(wire_dialects, "DIALECTS", (*wire_dialects.DIALECTS, V9))
    return settings_for(database_url, webhook_allow_http=True, webhook_allow_private_hosts=True)


async def test_a_registered_dialect_is_mounted_and_answers_in_its_own_shape(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    read = await client.get(f"/v9/customers/{customer['id']}", headers=headers)
    assert read.json() == {"ident": customer["id"], "kind": "individual"}
    missing = await client.get("/v9/customers/customer_" + "0" * 32, headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"oops": "Customer not found", "code": "v9.NotFound"}
    unknown = await client.get("/v9/nothing-here", headers=headers)
    assert unknown.json()["code"] == "v9.RouteNotFound"  # a path the dialect owns: its shape
    assert "v9" not in (await client.get("/v2/customer/customer_x", headers=headers)).json()["code"]


async def test_a_registered_dialect_gets_its_own_webhook_messages(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    storage: Storage,
    settings: Settings,
    create_customer: Any,
) -> None:
    tenant_id = (await tenants.find_tenant(storage.engine, "acme")).id
    with receiver() as hooks:
        await webhooks.create_endpoint(
            storage,
            tenant_id,
            "v9",
            url=hooks.url,
            events=["*"],
            name=None,
            policy=UrlPolicy(allow_http=True, allow_private=True),
        )
        customer = await create_customer()
        worker = webhook_worker(storage, settings)
        try:
            await run_until_idle(worker, storage)
        finally:
            await worker.aclose()
    (got,) = hooks.delivered
    assert json.loads(got.body) == {"v9": customer["id"], "event": "v9.changed"}
    assert got.headers["v9-signed"] == str(len(got.body))
    assert "webhook-signature" in got.headers  # and Standard Webhooks', as every dialect's
