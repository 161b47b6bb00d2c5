"""``/v2/webhook``: the tenant's webhook endpoints, in SpherePay's shape, and ``/v2/event/{id}``: one of
the events they are sent (the contract of issue 13)."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from kycrail import errors as e
from kycrail.api.common.dependencies import CanManageWebhooks, WebhookId
from kycrail.api.common.endpoints.deliveries import (
    DELIVERIES_DESCRIPTION,
    DELIVERIES_SUMMARY,
    DeliveryOut,
    WebhookUrl,
    add_endpoint_routes,
    deliveries_page,
)
from kycrail.api.common.errors import IDEMPOTENT, KEYED, WITH_BODY
from kycrail.api.common.routes import CheckedRoute
from kycrail.api.common.wire import JSONResponse, StrictModel, WireTime
from kycrail.api.sphere import responses
from kycrail.api.sphere.errors import ERRORS
from kycrail.api.sphere.routes import MAX_PAGE_SIZE, Page
from kycrail.customers.audit import EventKind
from kycrail.customers.verification import ProfileStatus
from kycrail.outbox import service as outbox
from kycrail.outbox.service import EVENT_NOT_FOUND, OpenedEvent
from kycrail.webhooks import service
from kycrail.webhooks.repository import Endpoint
from kycrail.webhooks.urls import UrlPolicy

router = APIRouter(prefix="/v2", tags=["SpherePay v2 webhooks"], route_class=CheckedRoute)
DIALECT = "sphere"

SphereEvent = Literal[
    "customer.create",
    "customer.update",
    "customer.kyc.pending",
    "customer.kyc.successful",
    "customer.kyc.rejected",
    "customer.kyc.additionalReviewRequired",
    "customer.screening.hit",
    "*",
]


class SphereWebhookIn(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=200, examples=["Customer updates"])]
    url: Annotated[WebhookUrl, Field(examples=["https://example.com/hooks/sphere"])]
    events: Annotated[list[SphereEvent], Field(min_length=1, max_length=8, examples=[["*"]])]


class SphereWebhookOut(BaseModel):
    id: str
    name: str
    url: str
    events: list[str]
    status: Literal["healthy", "degraded", "failing", "disabled"]
    createdAt: WireTime


class SphereWebhookCreatedOut(SphereWebhookOut):
    secret: str = Field(
        description="Shown once. The `signature` header is the hex HMAC-SHA256 of the raw body keyed with "
        "this string as it is; the Standard Webhooks headers use it in its `whsec_` form."
    )


class SphereWebhookListOut(BaseModel):
    webhooks: list[SphereWebhookOut]


class SphereDeliveryListOut(BaseModel):
    deliveries: list[DeliveryOut]
    pagination: responses.PaginationOut


class SphereWebhookEventOut(BaseModel):
    id: str
    name: str
    createdAt: WireTime
    data: responses.SphereCustomerOut


# --- the events: what one customer write is called in SpherePay's vocabulary -------------------------

_KYC_OUTCOMES = {
    ProfileStatus.pending: "customer.kyc.pending",
    ProfileStatus.approved: "customer.kyc.successful",
    ProfileStatus.rejected: "customer.kyc.rejected",
}
KYC_SUFFIX = "_kyc"
SCREENING_SUFFIX = "_screening"
SCREENING_HIT = "customer.screening.hit"


def sphere_events(kind: str, before: str | None, after: str) -> list[tuple[str, str]]:
    """(id suffix, name) of each SpherePay event one customer event makes: ``customer.create`` or
    ``customer.update``, then, when the verification moved, its ``customer.kyc.*`` event (criteria sent
    back: ``customer.kyc.additionalReviewRequired``), and ``customer.screening.hit`` when a sanctions
    screening raised hits (kycrail's own). A deletion or an erasure has no SpherePay name."""
    if kind in (EventKind.deleted, EventKind.erased):
        return []
    events = [("", "customer.create" if kind == EventKind.created else "customer.update")]
    moved_to = ProfileStatus(after)
    if before != after and not (before is None and moved_to is ProfileStatus.incomplete):
        if moved_to is ProfileStatus.incomplete:
            events.append((KYC_SUFFIX, "customer.kyc.additionalReviewRequired"))
        else:
            events.append((KYC_SUFFIX, _KYC_OUTCOMES[moved_to]))
    if kind == EventKind.screening_hit:
        events.append((SCREENING_SUFFIX, SCREENING_HIT))
    return events


class SphereDialect:
    """What the webhook worker sends a SpherePay endpoint: the ``GET /v2/event/{id}`` body."""

    def messages(self, opened: OpenedEvent) -> list[tuple[str, str]]:
        stored = opened.event
        return sphere_events(stored.kind, stored.status_before, stored.status_after)

    def payload(self, message_id: str, name: str, opened: OpenedEvent) -> bytes:
        return bytes(JSONResponse(_event_out(message_id, name, opened)).body)

    def signature_headers(self, secret: str, body: bytes) -> dict[str, str]:
        """SpherePay's ``signature``: the hex HMAC-SHA256 of the raw body, keyed with the secret as shown."""
        return {"signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def _event_out(event_id: str, name: str, opened: OpenedEvent) -> dict[str, object]:
    body = {
        "id": event_id,
        "name": name,
        "createdAt": opened.event.occurred_at,
        "data": responses.customer_out(opened.customer),
    }
    return SphereWebhookEventOut.model_validate(body).model_dump(mode="json")


_EVENT_ID = re.compile(rf"^(evt_[a-f0-9]{{32}})({KYC_SUFFIX}|{SCREENING_SUFFIX})?$")


def _out(endpoint: Endpoint) -> dict[str, object]:
    return {
        "id": endpoint.id,
        "name": endpoint.name or "",
        "url": endpoint.url,
        "events": list(endpoint.events),
        "status": endpoint.status,
        "createdAt": endpoint.created_at,
    }


@router.post(
    "/webhook",
    summary="Register a webhook endpoint",
    description="At most 10 per tenant. The URL must be https and reach a public address. The secret is "
    "in this answer only.",
    status_code=201,
    response_model=SphereWebhookCreatedOut,
    responses=ERRORS.responses(KEYED, WITH_BODY, IDEMPOTENT, e.WebhookUrlRefused, e.WebhookLimitReached),
)
async def create_webhook(body: SphereWebhookIn, caller: CanManageWebhooks) -> Response:
    created = await service.create_endpoint(
        caller.storage,
        caller.tenant_id,
        DIALECT,
        url=body.url,
        events=body.events,
        name=body.name,
        policy=UrlPolicy.of(caller.resources.settings),
    )
    answer = SphereWebhookCreatedOut.model_validate({**_out(created.endpoint), "secret": created.secret})
    return JSONResponse(answer.model_dump(mode="json"), status_code=201)


@router.get(
    "/webhook",
    summary="List webhook endpoints",
    response_model=SphereWebhookListOut,
    responses=ERRORS.responses(KEYED),
)
async def list_webhooks(caller: CanManageWebhooks) -> Response:
    endpoints = await service.list_endpoints(caller.storage, caller.tenant_id, DIALECT)
    answer = SphereWebhookListOut.model_validate({"webhooks": [_out(endpoint) for endpoint in endpoints]})
    return JSONResponse(answer.model_dump(mode="json"))


@router.get(
    "/webhook/{webhook_id}",
    summary="Get a webhook endpoint",
    response_model=SphereWebhookOut,
    responses=ERRORS.responses(KEYED, e.NotFound),
)
async def get_webhook(webhook_id: WebhookId, caller: CanManageWebhooks) -> Response:
    endpoint = await service.get_endpoint(caller.storage, caller.tenant_id, DIALECT, webhook_id)
    return JSONResponse(SphereWebhookOut.model_validate(_out(endpoint)).model_dump(mode="json"))


@router.get(
    "/event/{event_id}",
    summary="Get an event",
    description="One event as webhooks deliver it: `{id, name, createdAt, data}`, the customer as that "
    "write left it. An erased customer's events are gone.",
    response_model=SphereWebhookEventOut,
    responses=ERRORS.responses(KEYED, e.NotFound),
)
async def get_event(
    event_id: Annotated[str, Path(json_schema_extra={"pattern": _EVENT_ID.pattern})],
    caller: CanManageWebhooks,
) -> Response:
    parsed = _EVENT_ID.fullmatch(event_id)
    if parsed is None:
        raise e.NotFound(EVENT_NOT_FOUND)
    opened = await outbox.open_event(caller.storage, caller.tenant_id, parsed.group(1))
    stored = opened.event
    names = dict(sphere_events(stored.kind, stored.status_before, stored.status_after))
    name = names.get(parsed.group(2) or "")
    if name is None:
        raise e.NotFound(EVENT_NOT_FOUND)
    return JSONResponse(_event_out(event_id, name, opened))


@router.get(
    "/webhook/{webhook_id}/deliveries",
    summary=DELIVERIES_SUMMARY,
    description=DELIVERIES_DESCRIPTION,
    response_model=SphereDeliveryListOut,
    responses=ERRORS.responses(KEYED, e.NotFound, e.ValidationFailed),
)
async def list_deliveries(
    webhook_id: WebhookId,
    caller: CanManageWebhooks,
    page: Page = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 10,
) -> Response:
    found, total = await deliveries_page(caller, DIALECT, webhook_id, limit=limit, offset=(page - 1) * limit)
    return JSONResponse({"deliveries": found, "pagination": responses.pagination(page, limit, total)})


add_endpoint_routes(router, path="/webhook", dialect=DIALECT, errors=ERRORS, signer_name="secret")
