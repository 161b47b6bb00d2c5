"""The loop that keeps customers in step with their providers' applicants, beside the webhook worker:
the notifications a request could not finish, the reconciliation's due readings, then the files of
the documents the provider reviewed (applicants/documents.py)."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

from kycrail.applicants import documents, repository, service
from kycrail.customers.provider import KycProvider
from kycrail.db import utc_now, write_transaction
from kycrail.documents.fetched import Limits
from kycrail.storage import Storage

log = logging.getLogger(__name__)
KEEP_NOTIFICATIONS = timedelta(days=3)  # SumSub redelivers for about a day
PRUNE_EVERY_SECONDS = 3600.0


async def run_forever(
    storage: Storage, provider: KycProvider, *, every: timedelta, limits: Limits, pause_seconds: float = 1.0
) -> None:
    pruned_at = 0.0
    while True:
        try:
            busy = await service.process_due(storage, provider, every=every)
            busy += await service.reconcile_due(storage, provider, every=every)
            busy += await documents.fetch_due(storage, provider, limits)
            if time.monotonic() - pruned_at > PRUNE_EVERY_SECONDS:
                async with write_transaction(storage.engine) as connection:
                    await repository.prune_processed(connection, utc_now() - KEEP_NOTIFICATIONS)
                pruned_at = time.monotonic()
        except Exception:
            log.exception("the applicants' round failed; it will try again")
            busy = 0
        if not busy:
            await asyncio.sleep(pause_seconds)
