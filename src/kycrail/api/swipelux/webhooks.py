"""``/v1/webhooks``: the tenant's webhook endpoints, in Swipelux's shape (the contract of issue 13)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
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
from kycrail.api.common.wire import JSONResponse, StrictModel, WireTime, iso_utc
from kycrail.api.swipelux import responses
from kycrail.api.swipelux.errors import ERRORS
from kycrail.api.swipelux.routes import MAX_PAGE_SIZE, Offset
from kycrail.api.swipelux.status import SwipeluxStatus, swipelux_status
from kycrail.customers.audit import EventKind
from kycrail.customers.model import ReviewDecision
from kycrail.outbox.service import OpenedEvent
from kycrail.webhooks import service
from kycrail.webhooks.repository import Endpoint
from kycrail.webhooks.urls import UrlPolicy

router = APIRouter(prefix="/v1", tags=["Swipelux v1 webhooks"], route_class=CheckedRoute)
DIALECT = "swipelux"

SwipeluxEvent = Literal[
    "customer.created", "customer.updated", "customer.verification_changed", "customer.screening_hit", "*"
]


class SwipeluxWebhookIn(StrictModel):
    url: Annotated[WebhookUrl, Field(examples=["https://example.com/hooks/swipelux"])]
    events: Annotated[list[SwipeluxEvent], Field(min_length=1, max_length=5, examples=[["*"]])]


class SwipeluxWebhookOut(BaseModel):
    id: str
    url: str
    events: list[str]
    status: Literal["healthy", "degraded", "failing", "disabled"]
    createdAt: WireTime


class SwipeluxWebhookCreatedOut(SwipeluxWebhookOut):
    secretKey: str = Field(
        description="Shown once: the Standard Webhooks secret (`whsec_` form) that signs every delivery."
    )


class SwipeluxWebhookListOut(BaseModel):
    data: list[SwipeluxWebhookOut]
    total: int


class SwipeluxDeliveryListOut(BaseModel):
    data: list[DeliveryOut]
    total: int
    limit: int
    offset: int


VERIFICATION_SUFFIX = "_verification"
VERIFICATION_CHANGED = "customer.verification_changed"
SCREENING_SUFFIX = "_screening"
SCREENING_HIT = "customer.screening_hit"  # kycrail's own: a sanctions screening raised hits


def _verification_changed(opened: OpenedEvent) -> bool:
    now = swipelux_status(opened.customer)
    if opened.previous is None:
        return now is not SwipeluxStatus.not_started
    return swipelux_status(opened.previous) is not now


class SwipeluxDialect:
    """What the webhook worker sends a Swipelux endpoint: ``{id, type, createdAt, data}``."""

    def messages(self, opened: OpenedEvent) -> list[tuple[str, str]]:
        kind = opened.event.kind
        if kind in (EventKind.deleted, EventKind.erased):
            return []
        made = [("", "customer.created" if kind == EventKind.created else "customer.updated")]
        if _verification_changed(opened):
            made.append((VERIFICATION_SUFFIX, VERIFICATION_CHANGED))
        if kind == EventKind.screening_hit:
            made.append((SCREENING_SUFFIX, SCREENING_HIT))
        return made

    def signature_headers(self, secret: str, body: bytes) -> dict[str, str]:
        return {}  # Standard Webhooks' alone

    def payload(self, message_id: str, name: str, opened: OpenedEvent) -> bytes:
        customer = opened.customer
        data: dict[str, object]
        if name == VERIFICATION_CHANGED:
            now = swipelux_status(customer)
            review = customer.review
            sent_back = review is not None and review.decision is ReviewDecision.rejected
            reason = (
                "; ".join(reason.message for reason in review.reasons)
                if review is not None
                and sent_back
                and now in (SwipeluxStatus.rejected, SwipeluxStatus.incomplete)
                else None
            )
            data = {
                "customerId": customer.id,
                "customerType": customer.type.value,
                "verificationStatus": now.value,
                "previousStatus": swipelux_status(opened.previous).value if opened.previous else None,
                "reason": reason or None,
            }
        elif name == SCREENING_HIT:  # which entries is the reviewer's to see (/ops), not a webhook's
            data = {
                "customerId": customer.id,
                "customerType": customer.type.value,
                "verificationStatus": swipelux_status(customer).value,
                "openHits": len(customer.open_hits),
            }
        else:
            data = responses.customer_out(customer)
        envelope = {
            "id": message_id,
            "type": name,
            "createdAt": iso_utc(opened.event.occurred_at),
            "data": data,
        }
        return bytes(JSONResponse(envelope).body)


def _out(endpoint: Endpoint) -> dict[str, object]:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "events": list(endpoint.events),
        "status": endpoint.status,
        "createdAt": endpoint.created_at,
    }


@router.post(
    "/webhooks",
    summary="Register a webhook endpoint",
    description="At most 10 per tenant. The URL must be https and reach a public address. The secret key "
    "is in this answer only.",
    status_code=201,
    response_model=SwipeluxWebhookCreatedOut,
    responses=ERRORS.responses(KEYED, WITH_BODY, IDEMPOTENT, e.WebhookUrlRefused, e.WebhookLimitReached),
)
async def create_webhook(body: SwipeluxWebhookIn, caller: CanManageWebhooks) -> Response:
    created = await service.create_endpoint(
        caller.storage,
        caller.tenant_id,
        DIALECT,
        url=body.url,
        events=body.events,
        name=None,
        policy=UrlPolicy.of(caller.resources.settings),
    )
    answer = SwipeluxWebhookCreatedOut.model_validate({**_out(created.endpoint), "secretKey": created.secret})
    return JSONResponse(answer.model_dump(mode="json"), status_code=201)


@router.get(
    "/webhooks",
    summary="List webhook endpoints",
    response_model=SwipeluxWebhookListOut,
    responses=ERRORS.responses(KEYED),
)
async def list_webhooks(caller: CanManageWebhooks) -> Response:
    endpoints = await service.list_endpoints(caller.storage, caller.tenant_id, DIALECT)
    answer = SwipeluxWebhookListOut.model_validate(
        {"data": [_out(endpoint) for endpoint in endpoints], "total": len(endpoints)}
    )
    return JSONResponse(answer.model_dump(mode="json"))


@router.get(
    "/webhooks/{webhook_id}",
    summary="Get a webhook endpoint",
    response_model=SwipeluxWebhookOut,
    responses=ERRORS.responses(KEYED, e.NotFound),
)
async def get_webhook(webhook_id: WebhookId, caller: CanManageWebhooks) -> Response:
    endpoint = await service.get_endpoint(caller.storage, caller.tenant_id, DIALECT, webhook_id)
    return JSONResponse(SwipeluxWebhookOut.model_validate(_out(endpoint)).model_dump(mode="json"))


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    summary=DELIVERIES_SUMMARY,
    description=DELIVERIES_DESCRIPTION,
    response_model=SwipeluxDeliveryListOut,
    responses=ERRORS.responses(KEYED, e.NotFound, e.ValidationFailed),
)
async def list_deliveries(
    webhook_id: WebhookId,
    caller: CanManageWebhooks,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    offset: Offset = 0,
) -> Response:
    found, total = await deliveries_page(caller, DIALECT, webhook_id, limit=limit, offset=offset)
    return JSONResponse(responses.page(found, total, limit, offset))


add_endpoint_routes(router, path="/webhooks", dialect=DIALECT, errors=ERRORS, signer_name="secret key")
