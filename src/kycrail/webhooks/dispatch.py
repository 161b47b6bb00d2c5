"""Fan-out: each outbox event becomes one delivery per (endpoint that wants it, message).

Events are opened (their customer's data key) before the short write transaction that locks them
(``FOR UPDATE SKIP LOCKED``: workers in other processes take other events), makes the deliveries and
marks them dispatched. A customer's events are dispatched in their order, so its deliveries' ids are
too. An event whose customer was erased since makes nothing, and an endpoint made after an event
gets nothing of it (it may be made before the event is taken: it subscribed from then on).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kycrail import db
from kycrail.db import utc_now, write_transaction
from kycrail.outbox import service as outbox
from kycrail.storage import Storage
from kycrail.webhooks import deliveries
from kycrail.webhooks.dialect import Dialect

Messages = dict[str, list[tuple[str, str]]]  # per dialect: (message id suffix, name)


async def dispatch_once(storage: Storage, dialects: Mapping[str, Dialect], limit: int = 100) -> int:
    """Fan out up to ``limit`` of the oldest undispatched events; returns how many were dispatched."""
    async with db.connect(storage.engine) as connection:
        candidates = await deliveries.undispatched_ids(connection, limit)
    if not candidates:
        return 0
    opened = await outbox.open_events(
        storage, [(tenant_id, event_id) for _, tenant_id, event_id in candidates]
    )
    made: dict[int, tuple[str, str, Messages, datetime | None]] = {}
    for outbox_id, tenant_id, event_id in candidates:
        event = opened.get(event_id)  # None: erased (or shredded) since; nothing to send
        messages = {name: dialect.messages(event) for name, dialect in dialects.items()} if event else {}
        made[outbox_id] = (tenant_id, event_id, messages, event.event.occurred_at if event else None)
    now = utc_now()
    async with write_transaction(storage.engine) as connection:
        locked = await deliveries.lock_undispatched(connection, list(made))
        endpoints: dict[str, list[Any]] = {}
        rows: list[dict[str, Any]] = []
        for outbox_id, customer_id in locked:
            tenant_id, event_id, messages, occurred_at = made[outbox_id]
            if tenant_id not in endpoints:
                endpoints[tenant_id] = await deliveries.live_endpoints(connection, tenant_id)
            for endpoint in endpoints[tenant_id]:
                if occurred_at is not None and endpoint.created_at > occurred_at:
                    continue  # made after the event: it subscribed from then on
                for suffix, name in messages.get(endpoint.dialect, []):
                    if name in endpoint.events or "*" in endpoint.events:
                        rows.append(
                            {
                                "tenant_id": tenant_id,
                                "endpoint_id": endpoint.id,
                                "outbox_id": outbox_id,
                                "customer_id": customer_id,
                                "message_id": event_id + suffix,
                                "event_name": name,
                                "state": "pending",
                                "attempts": 0,
                                "next_attempt_at": now,
                                "created_at": now,
                            }
                        )
        await deliveries.insert_deliveries(connection, rows)
        if locked:
            await deliveries.mark_dispatched(connection, [outbox_id for outbox_id, _ in locked], now)
    return len(locked)
