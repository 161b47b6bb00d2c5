"""Every query on customers' screening hits, each with the tenant predicate. The explanation and the
reviewer's reason are sealed under the customer's data key (``vault/envelope.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import orjson
from sqlalchemy import delete, select, update

from kycrail.driver.base import Connection
from kycrail.screening.tables import screening_hits
from kycrail.vault.envelope import DataKey, context


class HitStatus(StrEnum):
    open = "open"
    false_positive = "false_positive"
    true_match = "true_match"


@dataclass(frozen=True, slots=True)
class StoredHit:
    id: str
    tenant_id: str
    customer_id: str
    source: str
    source_id: str
    entry_digest: str
    listed_name: str
    score: float
    status: HitStatus
    created_at: datetime
    explanation: bytes  # sealed
    reason: bytes | None = None  # sealed
    resolved_by: str | None = None
    resolved_at: datetime | None = None


def _explanation_at(hit_id: str, customer_id: str) -> bytes:
    return context(customer_id, f"screening_hits.{hit_id}.explanation")


def _reason_at(hit_id: str, customer_id: str) -> bytes:
    return context(customer_id, f"screening_hits.{hit_id}.reason")


def seal_explanation(key: DataKey, hit_id: str, customer_id: str, explanation: object) -> bytes:
    return key.seal(orjson.dumps(explanation), _explanation_at(hit_id, customer_id))


def open_explanation(key: DataKey, hit: StoredHit) -> object:
    return orjson.loads(key.open(hit.explanation, _explanation_at(hit.id, hit.customer_id)))


def seal_reason(key: DataKey, hit_id: str, customer_id: str, reason: str) -> bytes:
    return key.seal(reason.encode(), _reason_at(hit_id, customer_id))


def open_reason(key: DataKey, hit: StoredHit) -> str | None:
    if hit.reason is None:
        return None
    return key.open(hit.reason, _reason_at(hit.id, hit.customer_id)).decode()


async def insert(connection: Connection, hits: list[StoredHit]) -> None:
    if hits:
        await connection.execute(
            screening_hits.insert(),
            [
                {
                    "id": h.id,
                    "tenant_id": h.tenant_id,
                    "customer_id": h.customer_id,
                    "source": h.source,
                    "source_id": h.source_id,
                    "entry_digest": h.entry_digest,
                    "listed_name": h.listed_name,
                    "score_per_10k": round(h.score * 10_000),
                    "status": h.status.value,
                    "explanation": h.explanation,
                    "reason": h.reason,
                    "resolved_by": h.resolved_by,
                    "resolved_at": h.resolved_at,
                    "created_at": h.created_at,
                }
                for h in hits
            ],
        )


def _stored(row: object) -> StoredHit:
    data = dict(row._mapping)  # type: ignore[attr-defined]
    reason = data["reason"]
    data["score"] = data.pop("score_per_10k") / 10_000
    return StoredHit(
        **{
            **data,
            "status": HitStatus(data["status"]),
            "explanation": bytes(data["explanation"]),  # a memoryview from some drivers
            "reason": bytes(reason) if reason is not None else None,
        }
    )


async def of_customer(connection: Connection, tenant_id: str, customer_id: str) -> list[StoredHit]:
    """The customer's hits, newest first."""
    h = screening_hits.c
    query = (
        select(screening_hits)
        .where(h.tenant_id == tenant_id, h.customer_id == customer_id)
        .order_by(h.created_at.desc(), h.id)
    )
    return [_stored(row) for row in await connection.execute(query)]


async def get(connection: Connection, tenant_id: str, customer_id: str, hit_id: str) -> StoredHit | None:
    h = screening_hits.c
    query = select(screening_hits).where(
        h.tenant_id == tenant_id, h.customer_id == customer_id, h.id == hit_id
    )
    row = (await connection.execute(query)).first()
    return _stored(row) if row is not None else None


async def resolve(
    connection: Connection,
    tenant_id: str,
    hit_id: str,
    status: HitStatus,
    reason: bytes | None,
    resolved_by: str,
    now: datetime,
) -> bool:
    """The open hit resolved; False when it was not open (resolved already, by a concurrent request)."""
    h = screening_hits.c
    result = await connection.execute(
        update(screening_hits)
        .where(h.tenant_id == tenant_id, h.id == hit_id, h.status == HitStatus.open.value)
        .values(status=status.value, reason=reason, resolved_by=resolved_by, resolved_at=now)
    )
    return bool(result.rowcount)


async def delete_for_customer(connection: Connection, tenant_id: str, customer_id: str) -> None:
    """A shredded customer's hits go: what a reviewer decided stays in the audit trail."""
    h = screening_hits.c
    await connection.execute(
        delete(screening_hits).where(h.tenant_id == tenant_id, h.customer_id == customer_id)
    )
