"""The delivery log's shape, and the routes on one webhook endpoint, the same in both dialects
(neither vendor documents them); each dialect pages the log as it pages its other lists."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from kycrail import errors as e
from kycrail.api.common.dependencies import CanManageWebhooks, WebhookId
from kycrail.api.common.errors import IDEMPOTENT, KEYED, ErrorTable
from kycrail.api.common.middleware.auth import Caller
from kycrail.api.common.wire import WireTime
from kycrail.webhooks import service
from kycrail.webhooks.deliveries import Delivery
from kycrail.webhooks.urls import DOCUMENTED_URL_PATTERN, MAX_URL_LENGTH


class AttemptOut(BaseModel):
    attemptedAt: WireTime
    statusCode: int | None = Field(description="None: no answer (timeout, network error, URL refused).")
    durationMs: int
    error: str | None = Field(
        description="Why there is no status code, in kycrail's words (never what the receiver sent)."
    )
    responseBody: str = Field(
        description="At most the first 1 KB of the answer's body. Kept encrypted under the customer's "
        "data key (a receiver may echo the payload): empty once the customer's data is erased."
    )


class DeliveryOut(BaseModel):
    id: str = Field(description="The message id (the `webhook-id` header); retry with it.")
    event: str
    state: Literal["pending", "delivered", "dead"]
    attempts: list[AttemptOut]
    nextAttemptAt: WireTime | None
    createdAt: WireTime
    deliveredAt: WireTime | None


DELIVERIES_SUMMARY = "List a webhook endpoint's deliveries"
DELIVERIES_DESCRIPTION = (
    "Newest first, a page at a time, each with its attempts: time, status code, duration and at most 1 KB "
    "of the answer's body (empty once the customer's data is erased)."
)


# An endpoint's URL, as both dialects' webhook bodies take it (the dialect adds its example).
WebhookUrl = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_URL_LENGTH,
        json_schema_extra={"pattern": DOCUMENTED_URL_PATTERN},  # documented; checked_shape judges
        description="An https URL kycrail can reach (`kycrail serve --sandbox` takes http and private "
        "addresses too). A private, loopback or other special-use address is refused (400).",
    ),
]

# A delivery is named by the event it carries and the dialect's suffix for the kind of webhook
# (documented as the ids the deliveries list answers; any other is a 404).
DELIVERY_ID_PATTERN = r"^evt_[a-f0-9]{32}(_[a-z]{1,20})?$"


def delivery_out(delivery: Delivery) -> dict[str, object]:
    return {
        "id": delivery.message_id,
        "event": delivery.event_name,
        "state": delivery.state,
        "attempts": [
            {
                "attemptedAt": attempt.attempted_at,
                "statusCode": attempt.status_code,
                "durationMs": attempt.duration_ms,
                "error": attempt.error,
                "responseBody": attempt.response_excerpt,
            }
            for attempt in delivery.log
        ],
        "nextAttemptAt": delivery.next_attempt_at if delivery.state == "pending" else None,
        "createdAt": delivery.created_at,
        "deliveredAt": delivery.delivered_at,
    }


async def deliveries_page(
    caller: Caller, dialect: str, webhook_id: str, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of an endpoint's delivery log on the wire, and how many deliveries it holds in all."""
    page = await service.list_deliveries(
        caller.storage, caller.tenant_id, dialect, webhook_id, limit=limit, offset=offset
    )
    found = [DeliveryOut.model_validate(delivery_out(one)).model_dump(mode="json") for one in page.deliveries]
    return found, page.total


def add_endpoint_routes(
    router: APIRouter, *, path: str, dialect: str, errors: ErrorTable, signer_name: str
) -> None:
    """The routes every dialect has for one of its webhook endpoints: delete it, retry a delivery.
    Only the path, the error table and what the dialect calls the signing secret (``signer_name``)
    differ. (The log itself is each dialect's: its paging is.)"""

    @router.delete(
        f"{path}/{{webhook_id}}",
        summary="Delete a webhook endpoint",
        description=f"Nothing more is delivered to it; its {signer_name} is destroyed.",
        status_code=204,
        response_class=Response,
        responses=errors.responses(KEYED, IDEMPOTENT, e.NotFound),
    )
    async def delete_webhook(webhook_id: WebhookId, caller: CanManageWebhooks) -> Response:
        await service.delete_endpoint(caller.storage, caller.tenant_id, dialect, webhook_id)
        return Response(status_code=204)

    @router.post(
        f"{path}/{{webhook_id}}/deliveries/{{delivery_id}}/retry",
        summary="Send a delivery again",
        description="As soon as its turn comes (a customer's events go out in order): a failing one now, a "
        "delivered or given-up one again (a replay, with the same message id).",
        status_code=202,
        response_class=Response,
        responses=errors.responses(KEYED, IDEMPOTENT, e.NotFound),
    )
    async def retry_delivery(
        webhook_id: WebhookId,
        delivery_id: Annotated[str, Path(json_schema_extra={"pattern": DELIVERY_ID_PATTERN})],
        caller: CanManageWebhooks,
    ) -> Response:
        await service.retry_delivery(caller.storage, caller.tenant_id, dialect, webhook_id, delivery_id)
        return Response(status_code=202)
