"""The webhook worker: fans the outbox out to deliveries and sends them, in a loop.

It runs inside ``kycrail serve`` and alone as ``kycrail worker``; any number may share a database
(leases and ``SKIP LOCKED`` keep one attempt in one worker). Sends run as tasks: a slow endpoint
holds only its own slots (``per_endpoint``), never the loop, the other endpoints or the API.

Each round is one write transaction: it records the outcomes of the sends that finished since the
last round and claims what is due next. A claimed event is opened (its customer's data key, the
snapshots decrypted) and rendered once for all its endpoints; each receiver's answer is sealed with
the same key as it comes (it may echo the payload); endpoints' secrets are unwrapped once and kept.
A worker that dies between a send and its round leaves the delivery leased: another worker sends it
again when the lease runs out (at least once).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp

from kycrail import db
from kycrail.db import utc_now, write_transaction
from kycrail.outbox import service as outbox
from kycrail.storage import Storage
from kycrail.vault.envelope import DataKey
from kycrail.vault.vault import WrappedKey
from kycrail.webhooks import deliveries, dispatch, schedule, sender
from kycrail.webhooks.deliveries import Claimed, SealedAttempt
from kycrail.webhooks.dialect import Dialect
from kycrail.webhooks.signing import signed_headers
from kycrail.webhooks.urls import UrlPolicy

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0
LINGER_SECONDS = 0.005
WRITES_LINGER_SECONDS = 0.05
TICK_SECONDS = 0.02


@dataclass(frozen=True, slots=True)
class _Ready:
    """One delivery ready to go: everything but the signature, made when it is sent."""

    claimed: Claimed
    url: str
    secret: str
    body: bytes
    dialects_own: dict[str, str]  # its dialect's signature headers (beside Standard Webhooks')
    key: DataKey  # the customer's: the answer is sealed with it as soon as it comes


class Worker:
    def __init__(
        self,
        storage: Storage,
        dialects: Mapping[str, Dialect],
        policy: UrlPolicy,
        *,
        timeout_seconds: float = TIMEOUT_SECONDS,
        batch: int = 100,
        per_endpoint: int = 16,
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
        self._client: aiohttp.ClientSession | None = None  # made on the event loop, at first use
        self._in_flight: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        self._finished: list[tuple[Claimed, SealedAttempt | None]] = []  # None: nothing may be sent
        self._secrets: dict[str, tuple[bytes, str]] = {}  # endpoint id: (wrapped, unwrapped)

    @property
    def client(self) -> aiohttp.ClientSession:
        if self._client is None:
            self._client = sender.new_client(self.policy)
        return self._client

    async def dispatch_once(self) -> int:
        return await dispatch.dispatch_once(self.storage, self.dialects, self.batch)

    async def deliver_once(self) -> int:
        """Send what is due now, wait for those sends and record them (tests drive the worker so)."""
        claimed, started = await self.start_due()
        await asyncio.gather(*started)
        await self.record_finished()
        return claimed

    async def record_finished(self) -> None:
        """Record the outcomes of the sends that finished, in one write transaction."""
        if self._finished:
            async with write_transaction(self.storage.engine) as connection:
                await self._record(connection, self._take_finished())

    async def start_due(self) -> tuple[int, list[asyncio.Task[None]]]:
        """Record what finished, claim what is due (one write transaction), start sending it: how
        many were claimed (some may be settled unsent), and the sends started."""
        now = utc_now()
        if not self._finished:
            async with db.connect(self.storage.engine) as connection:
                if not await deliveries.any_due(connection, now):
                    return 0, []  # idle: no write transaction (on SQLite it would hold the one write lock)
        finished = self._take_finished()
        room = {endpoint: self.per_endpoint - busy for endpoint, busy in self._in_flight.items()}
        try:
            async with write_transaction(self.storage.engine) as connection:
                await self._record(connection, finished)
                claimed = await deliveries.claim(
                    connection, now, now + self.lease, self.batch, room, self.per_endpoint
                )
                targets = await deliveries.endpoint_targets(connection, {one.endpoint_id for one in claimed})
        except BaseException:
            self._finished[:0] = finished  # not recorded: the next round tries again
            raise
        started = []
        for ready in await self._prepare(claimed, targets):
            endpoint_id = ready.claimed.endpoint_id
            self._in_flight[endpoint_id] += 1
            task = asyncio.create_task(self._send(ready))
            self._tasks.add(task)
            task.add_done_callback(functools.partial(self._done, endpoint_id))
            started.append(task)
        return len(claimed), started

    def _take_finished(self) -> list[tuple[Claimed, SealedAttempt | None]]:
        finished, self._finished = self._finished, []
        return finished

    def _done(self, endpoint_id: str, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._in_flight[endpoint_id] -= 1
        if self._in_flight[endpoint_id] <= 0:
            del self._in_flight[endpoint_id]

    async def run(self) -> None:
        """Forever: dispatch, record and start what is due. A busy worker runs a round every
        ``TICK_SECONDS`` (what finished meanwhile is recorded together: a round's cost is mostly
        fixed), at once while events wait to be fanned out; an idle one waits ``idle_seconds``, or
        until a send in flight finishes."""
        while True:
            began = time.monotonic()
            try:
                dispatched = await self.dispatch_once()
                claimed, _ = await self.start_due()
            except Exception:
                log.exception("the webhook worker's round failed; it will try again")
                dispatched = claimed = 0
            if dispatched >= self.batch:
                continue  # more events wait
            if dispatched or claimed:
                await asyncio.sleep(max(0.0, began + TICK_SECONDS - time.monotonic()))
            else:
                await self._idle()

    async def _idle(self) -> None:
        """Nothing to do this round: wait ``idle_seconds``, or less when a send in flight finishes
        or a write in this process appends to the outbox."""
        if self._finished:
            # A send finished while this round claimed (after it counted the endpoint's room): its
            # slot is free, and no task is left to wake this wait. Go round again now.
            return
        written = self.storage.outbox_written
        woken = asyncio.ensure_future(written.wait())
        try:
            await asyncio.wait(
                {*self._tasks, woken}, timeout=self.idle_seconds, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            woken.cancel()
        by_a_write = written.is_set()
        written.clear()
        # What finishes or commits about now joins the same round. After a write, a little longer:
        # the writes that follow it come along, rather than a round (and, on SQLite, a write
        # transaction beside the API's) for each.
        await asyncio.sleep(WRITES_LINGER_SECONDS if by_a_write else LINGER_SECONDS)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        with contextlib.suppress(Exception):  # leased and not recorded: sent again later
            await self.record_finished()
        if self._client is not None:
            await self._client.close()

    async def _prepare(self, claimed: list[Claimed], targets: dict[str, Any]) -> list[_Ready]:
        """Each claimed delivery with its body and secret; the events opened together, each rendered
        once. One that cannot be prepared is recorded as not sent (and tried again later)."""
        try:
            opened = await outbox.open_events(
                self.storage, {(one.tenant_id, one.event_id) for one in claimed}
            )
        except Exception as failed:
            self._finished.extend((one, _not_sent(failed, one)) for one in claimed)
            return []
        bodies: dict[tuple[str, str], bytes] = {}
        ready: list[_Ready] = []
        for one in claimed:
            target = targets.get(one.endpoint_id)
            try:
                if target is None:  # deleted since it was claimed
                    self._finished.append((one, None))
                    continue
                event = opened.get(one.event_id)
                if event is None:  # the customer's data is gone: nothing may be sent
                    self._finished.append((one, None))
                    continue
                dialect = self.dialects[target.dialect]
                rendered = (target.dialect, one.message_id)
                if rendered not in bodies:
                    bodies[rendered] = dialect.payload(one.message_id, one.event_name, event)
                secret = await self._secret(one, target)
                own = dialect.signature_headers(secret, bodies[rendered])
                ready.append(_Ready(one, target.url, secret, bodies[rendered], own, event.key))
            except Exception as failed:
                self._finished.append((one, _not_sent(failed, one)))
        return ready

    async def _secret(self, claimed: Claimed, target: Any) -> str:
        wrapped = bytes(target.secret_wrapped)
        known = self._secrets.get(claimed.endpoint_id)
        if known is None or known[0] != wrapped:  # new, or rewrapped under another KEK since
            key = WrappedKey(target.secret_kek_id, wrapped)
            unwrapped = await self.storage.vault.unwrap_secret(claimed.tenant_id, claimed.endpoint_id, key)
            known = self._secrets[claimed.endpoint_id] = (wrapped, unwrapped.decode())
        return known[1]

    async def _send(self, ready: _Ready) -> None:
        claimed = ready.claimed
        try:
            headers = signed_headers(
                ready.secret, claimed.message_id, utc_now(), ready.body, ready.dialects_own
            )
            answered = await sender.send(
                self.client, ready.url, self.policy, headers, ready.body, self.timeout_seconds
            )
            attempt = deliveries.sealed(answered, ready.key, claimed)  # no plaintext kept past here
        except Exception as failed:
            attempt = _not_sent(failed, claimed)
        self._finished.append((claimed, attempt))

    async def _record(self, connection: Any, finished: list[tuple[Claimed, SealedAttempt | None]]) -> None:
        """Settle each finished delivery, then update each endpoint it touched once."""
        now = utc_now()
        await deliveries.record_attempts(
            connection, [(claimed, attempt) for claimed, attempt in finished if attempt is not None]
        )
        touched: set[str] = set()
        gone: set[str] = set()
        delivered: dict[int, list[Claimed]] = defaultdict(list)  # by status code: one statement each
        for claimed, attempt in finished:
            if attempt is None:
                await deliveries.settle(connection, claimed, state="dead")
                continue
            code, attempts = attempt.status_code, claimed.attempts + 1
            touched.add(claimed.endpoint_id)
            if code is not None and 200 <= code < 300:
                delivered[code].append(claimed)
            elif code == 410:  # Gone: the receiver asks for no more
                await deliveries.settle(
                    connection, claimed, state="dead", attempts=attempts, last_status_code=code
                )
                gone.add(claimed.endpoint_id)
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
        for code, answered in delivered.items():
            await deliveries.settle_delivered(connection, answered, code, now)
        for endpoint_id in gone:
            await deliveries.disable_endpoint(connection, endpoint_id)
            await deliveries.kill_pending_of(connection, endpoint_id)
        for endpoint_id in touched - gone:
            recent = await deliveries.recent_outcomes(connection, endpoint_id, schedule.RECENT)
            await deliveries.set_endpoint_status(connection, endpoint_id, schedule.endpoint_status(recent))


def _not_sent(failed: Exception, claimed: Claimed) -> SealedAttempt:
    """A failure of kycrail's own (logged in full here; the delivery log names only its kind)."""
    log.error("delivering %s failed", claimed.message_id, exc_info=failed)
    return deliveries.unanswered(utc_now(), f"not sent: {type(failed).__name__} in kycrail")
