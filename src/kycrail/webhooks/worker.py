"""The webhook worker: fans the outbox out to deliveries and sends them, in a loop.

It runs inside ``kycrail serve`` and alone as ``kycrail worker``; any number may share a database
(leases and ``SKIP LOCKED`` keep one attempt in one worker). Sends run as tasks: a slow endpoint
holds only its own slots (``per_endpoint``), never the loop, the other endpoints or the API.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta

import httpx

from kycrail import db
from kycrail.db import utc_now, write_transaction
from kycrail.errors import NotFound
from kycrail.outbox import service as outbox
from kycrail.storage import Storage
from kycrail.vault.vault import WrappedKey
from kycrail.webhooks import deliveries, dispatch, schedule, sender
from kycrail.webhooks.deliveries import Attempt, Claimed
from kycrail.webhooks.dialect import Dialect
from kycrail.webhooks.signing import signed_headers
from kycrail.webhooks.urls import UrlPolicy

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0


class Worker:
    def __init__(
        self,
        storage: Storage,
        dialects: Mapping[str, Dialect],
        policy: UrlPolicy,
        *,
        timeout_seconds: float = TIMEOUT_SECONDS,
        batch: int = 100,
        per_endpoint: int = 4,
        idle_seconds: float = 0.5,
        rng: random.Random | None = None,
    ) -> None:
        self.storage = storage
        self.dialects = dict(dialects)
        self.policy = policy
        self.timeout_seconds = timeout_seconds
        self.batch = batch
        self.per_endpoint = per_endpoint
        self.idle_seconds = idle_seconds
        # Longer than any send can take: a lease only runs out when its worker died.
        self.lease = timedelta(seconds=3 * timeout_seconds + 30)
        self.rng = rng or random.Random()  # noqa: S311 (jitter, not a secret)
        self.client = httpx.AsyncClient(follow_redirects=False, trust_env=False)
        self._in_flight: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()

    async def dispatch_once(self) -> int:
        return await dispatch.dispatch_once(self.storage, self.dialects, self.batch)

    async def deliver_once(self) -> int:
        """Send what is due now and wait for those sends (tests drive the worker with this)."""
        started = await self.start_due()
        await asyncio.gather(*started)
        return len(started)

    async def start_due(self) -> list[asyncio.Task[None]]:
        now = utc_now()
        async with db.connect(self.storage.engine) as connection:
            if not await deliveries.any_due(connection, now):
                return []  # idle: no write transaction (on SQLite it would hold the one write lock)
        room = {endpoint: self.per_endpoint - busy for endpoint, busy in self._in_flight.items()}
        async with write_transaction(self.storage.engine) as connection:
            claimed = await deliveries.claim(
                connection, now, now + self.lease, self.batch, room, self.per_endpoint
            )
        started = []
        for one in claimed:
            self._in_flight[one.endpoint_id] += 1
            task = asyncio.create_task(self._deliver(one))
            self._tasks.add(task)
            task.add_done_callback(functools.partial(self._finished, one.endpoint_id))
            started.append(task)
        return started

    def _finished(self, endpoint_id: str, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._in_flight[endpoint_id] -= 1
        if self._in_flight[endpoint_id] <= 0:
            del self._in_flight[endpoint_id]

    async def run(self) -> None:
        """Forever: dispatch, start what is due; a short sleep when there was nothing to do."""
        while True:
            try:
                busy = await self.dispatch_once() > 0
                busy = bool(await self.start_due()) or busy
            except Exception:
                log.exception("the webhook worker's round failed; it will try again")
                busy = False
            if not busy:
                await self._idle()

    async def _idle(self) -> None:
        """Nothing started this round: wait ``idle_seconds``, or less when a send in flight finishes
        first (an endpoint at its ``per_endpoint`` cap gets its next send at once, not a round later)."""
        if self._tasks:
            await asyncio.wait(
                set(self._tasks), timeout=self.idle_seconds, return_when=asyncio.FIRST_COMPLETED
            )
        else:
            await asyncio.sleep(self.idle_seconds)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.client.aclose()

    async def _deliver(self, claimed: Claimed) -> None:
        try:
            await self._send_and_record(claimed)
        except Exception:  # its lease runs out and another round tries again
            log.exception("delivering %s failed", claimed.message_id)

    async def _send_and_record(self, claimed: Claimed) -> None:
        storage = self.storage
        async with db.connect(storage.engine) as connection:
            target = await deliveries.endpoint_target(connection, claimed.endpoint_id)
        try:
            if target is None:
                raise NotFound("endpoint deleted")
            opened = await outbox.open_event(storage, claimed.tenant_id, claimed.event_id)
        except NotFound:  # the endpoint or the customer's data is gone: nothing may be sent
            async with write_transaction(storage.engine) as connection:
                await deliveries.settle(connection, claimed, state="dead")
            return
        body = self.dialects[target.dialect].payload(claimed.message_id, claimed.event_name, opened)
        wrapped = WrappedKey(target.secret_kek_id, bytes(target.secret_wrapped))
        secret = (await storage.vault.unwrap_secret(claimed.tenant_id, claimed.endpoint_id, wrapped)).decode()
        headers = signed_headers(
            secret, claimed.message_id, utc_now(), body, sphere=target.dialect == "sphere"
        )
        attempt = await sender.send(self.client, target.url, self.policy, headers, body, self.timeout_seconds)
        await self._record(claimed, attempt)

    async def _record(self, claimed: Claimed, attempt: Attempt) -> None:
        code, now = attempt.status_code, utc_now()
        attempts = claimed.attempts + 1
        async with write_transaction(self.storage.engine) as connection:
            await deliveries.record_attempt(connection, claimed, attempt)
            if code is not None and 200 <= code < 300:
                await deliveries.settle(
                    connection,
                    claimed,
                    state="delivered",
                    delivered_at=now,
                    attempts=attempts,
                    last_status_code=code,
                )
            elif code == 410:  # Gone: the receiver asks for no more
                await deliveries.settle(
                    connection, claimed, state="dead", attempts=attempts, last_status_code=code
                )
                await deliveries.disable_endpoint(connection, claimed.endpoint_id)
                await deliveries.kill_pending_of(connection, claimed.endpoint_id)
                return
            else:
                later = schedule.next_attempt_at(attempts, claimed.created_at, now, self.rng)
                await deliveries.settle(
                    connection,
                    claimed,
                    state="pending" if later else "dead",
                    next_attempt_at=later or now,
                    attempts=attempts,
                    last_status_code=code,
                )
            recent = await deliveries.recent_outcomes(connection, claimed.endpoint_id, schedule.RECENT)
            await deliveries.set_endpoint_status(
                connection, claimed.endpoint_id, schedule.endpoint_status(recent)
            )
