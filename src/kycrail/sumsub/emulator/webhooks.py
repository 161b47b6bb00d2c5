"""Webhooks out, as SumSub sends them (docs/sumsub.md, "Webhooks"): an applicant's new state, without
personal data, signed with ``X-Payload-Digest`` (hex HMAC of the raw body under the webhook secret),
sent in the background and retried after 5 min, 1 h, 5 h and 18 h when the receiver fails.

First attempts go out one at a time in the order the events happened; a retry goes out on its own
schedule, so a receiver that failed sees events out of order, as it would from SumSub.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import httpx

from kycrail.sumsub.emulator.wire import JsonObject, sumsub_time_ms

log = logging.getLogger(__name__)

DIGEST_ALGORITHMS = {
    "HMAC_SHA256_HEX": "sha256",  # SumSub's default
    "HMAC_SHA512_HEX": "sha512",
    "HMAC_SHA1_HEX": "sha1",  # legacy, still selectable at SumSub
}
RETRY_DELAYS_SECONDS = (5 * 60, 60 * 60, 5 * 60 * 60, 18 * 60 * 60)
TIMEOUT_SECONDS = 5.0  # SumSub gives a receiver 5 s
TYPES = ("applicantCreated", "applicantPending", "applicantReviewed", "applicantOnHold", "applicantReset")


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    secret: str
    digest_alg: str = "HMAC_SHA256_HEX"

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ValueError("the webhook URL must be an http:// or https:// URL")
        if not self.secret:
            raise ValueError("the webhook secret must not be empty")
        if self.digest_alg not in DIGEST_ALGORITHMS:
            raise ValueError(f"the digest algorithm must be one of {', '.join(DIGEST_ALGORITHMS)}")


def digest(secret: str, body: bytes, digest_alg: str) -> str:
    return hmac.new(secret.encode(), body, DIGEST_ALGORITHMS[digest_alg]).hexdigest()


def payload(event_type: str, applicant: JsonObject, *, client_id: str, moment: float) -> JsonObject:
    """What SumSub sends: ids, the level and the review's state, never the person's data."""
    review = applicant.get("review", {})
    sent: JsonObject = {
        "applicantId": applicant["id"],
        "inspectionId": applicant.get("inspectionId"),
        "correlationId": f"req-{uuid.uuid4()}",
        "levelName": review.get("levelName"),
        "externalUserId": applicant.get("externalUserId"),
        "type": event_type,
        "sandboxMode": True,
        "reviewStatus": review.get("reviewStatus"),
        "createdAtMs": sumsub_time_ms(moment),
        "applicantType": applicant.get("type", "individual"),
        "clientId": client_id,
    }
    if review.get("reviewStatus") == "completed" and review.get("reviewResult"):
        sent["reviewResult"] = review["reviewResult"]
    return sent


@dataclass
class _Delivery:
    body: bytes
    headers: dict[str, str]
    event_type: str


class Webhooks:
    """The emulator's webhook sender. Unconfigured, it only keeps what it would have sent."""

    def __init__(self, delay_scale: Callable[[], float]) -> None:
        self._delay_scale = delay_scale  # the ``webhook_delay_scale`` knob, read at each wait
        self.config: WebhookConfig | None = None
        self._transport: httpx.AsyncBaseTransport | None = None
        self.emitted: list[JsonObject] = []  # every event, in order, delivered or not
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[_Delivery] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def configure(
        self,
        *,
        url: str,
        secret: str,
        digest_alg: str = "HMAC_SHA256_HEX",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Send to ``url``, through ``transport`` if given (an in-process app's ASGI transport, say)
        rather than the network. Raises ValueError for a bad URL, secret or algorithm."""
        self.config = WebhookConfig(url, secret, digest_alg)
        self._transport = transport

    def emit(self, event_type: str, applicant: JsonObject, *, client_id: str, moment: float) -> None:
        """Never blocks: the event is queued for the background sender of the running event loop."""
        sent = payload(event_type, applicant, client_id=client_id, moment=moment)
        self.emitted.append(sent)
        if self.config is None:
            return
        body = json.dumps(sent).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Payload-Digest": digest(self.config.secret, body, self.config.digest_alg),
            "X-Payload-Digest-Alg": self.config.digest_alg,
        }
        try:
            queue = self._running_queue()
        except RuntimeError:  # called outside an event loop (a synchronous test helper): kept only
            log.warning("no event loop to send the %s webhook from; not sent", event_type)
            return
        queue.put_nowait(_Delivery(body, headers, event_type))

    async def aclose(self) -> None:
        """Stops sending: pending first attempts and retries are dropped."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        loop = asyncio.get_running_loop()
        for task in tasks:
            if task.get_loop() is loop:  # another loop's tasks can only be cancelled from here
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._tasks.clear()
        self._queue = None
        self._loop = None

    def _running_queue(self) -> asyncio.Queue[_Delivery]:
        loop = asyncio.get_running_loop()
        if self._queue is None or self._loop is not loop:
            # One sender per event loop (tests run each on a loop of its own).
            self._loop = loop
            self._queue = asyncio.Queue()
            self._spawn(self._send_in_order(self._queue))
        return self._queue

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send_in_order(self, queue: asyncio.Queue[_Delivery]) -> None:
        while True:
            delivery = await queue.get()
            if not await self._attempt(delivery):
                self._spawn(self._retry(delivery))

    async def _retry(self, delivery: _Delivery) -> None:
        for delay in RETRY_DELAYS_SECONDS:
            await asyncio.sleep(delay * self._delay_scale())
            if await self._attempt(delivery):
                return
        log.warning(
            "the %s webhook was not accepted after %d retries", delivery.event_type, len(RETRY_DELAYS_SECONDS)
        )

    async def _attempt(self, delivery: _Delivery) -> bool:
        """One POST; True if the receiver took it (any 2xx)."""
        config = self.config
        if config is None:  # unconfigured since it was queued
            return True
        request = httpx.Request(
            "POST",
            config.url,
            content=delivery.body,
            headers=delivery.headers,
            extensions={"timeout": httpx.Timeout(TIMEOUT_SECONDS).as_dict()},
        )
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                status = await self._post(request)
        except (httpx.HTTPError, OSError, TimeoutError) as failure:
            log.info(
                "the %s webhook failed (%s); it will be retried", delivery.event_type, type(failure).__name__
            )
            return False
        if not 200 <= status < 300:
            log.info("the %s webhook was answered %d; it will be retried", delivery.event_type, status)
            return False
        return True

    async def _post(self, request: httpx.Request) -> int:
        if self._transport is not None:
            response = await self._transport.handle_async_request(request)
            await response.aread()
            await response.aclose()
            return response.status_code
        async with httpx.AsyncHTTPTransport() as network:
            response = await network.handle_async_request(request)
            await response.aread()
            return response.status_code
