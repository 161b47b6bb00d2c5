"""The delivery log's shape, the same in both dialects (neither vendor documents one)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from kycrail.webhooks.deliveries import Delivery


class AttemptOut(BaseModel):
    attemptedAt: datetime
    statusCode: int | None = Field(description="None: no answer (timeout, network error, URL refused).")
    durationMs: int
    error: str | None
    responseBody: str = Field(description="At most the first 1 KB of the answer's body.")


class DeliveryOut(BaseModel):
    id: str = Field(description="The message id (the `webhook-id` header); retry with it.")
    event: str
    state: Literal["pending", "delivered", "dead"]
    attempts: list[AttemptOut]
    nextAttemptAt: datetime | None
    createdAt: datetime
    deliveredAt: datetime | None


class DeliveryListOut(BaseModel):
    deliveries: list[DeliveryOut]


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


def deliveries_out(found: list[Delivery]) -> dict[str, object]:
    answer = DeliveryListOut.model_validate({"deliveries": [delivery_out(one) for one in found]})
    return answer.model_dump(mode="json")
