"""Request limits: body caps (413), stalled bodies (408), requests in flight (503), and rate limits
per authenticated key and per address presenting bad keys (429 with Retry-After).

The connection-level limits (header size and deadline, open connections) are the HTTP server's:
``kycrail/serving.py``.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kycrail.api.common.auth import PRINCIPAL, presented_key
from kycrail.api.common.request_context import ErrorRenderer
from kycrail.documents.content import MAX_DOCUMENT_BYTES
from kycrail.errors import KycrailError, Overloaded, PayloadTooLarge, RateLimited, RequestTimeout

MAX_JSON_BYTES = 1024 * 1024
# Room for the multipart envelope and the small form fields around a document.
MAX_MULTIPART_BYTES = MAX_DOCUMENT_BYTES + 64 * 1024


def body_cap(headers: Headers) -> int:
    content_type = headers.get("content-type", "")
    return MAX_MULTIPART_BYTES if content_type.startswith("multipart/form-data") else MAX_JSON_BYTES


# A liveness probe must not fail because the process is busy: an orchestrator would restart a process
# that is working (readiness, /readyz, may well say "not now").
UNCAPPED_PATHS = frozenset({"/healthz"})


class InFlightLimitMiddleware:
    """Answers 503 (Retry-After: 1) past ``max_requests`` requests in this process at once: a surge is
    told to come back rather than queued behind the database until clients time out."""

    def __init__(self, app: ASGIApp, render_error: ErrorRenderer, max_requests: int) -> None:
        self.app = app
        self.render_error = render_error
        self.max_requests = max_requests
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNCAPPED_PATHS:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_requests:
            response = self.render_error(scope["path"], Overloaded(), scope["state"]["request_id"])
            await response(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


class BodyLimitMiddleware:
    """Refuses a body over its cap: at once when Content-Length says so, else as soon as it is read;
    and one that stops arriving for ``stall_seconds`` (the server's header deadline ends with the
    headers: a body sent a byte a minute would otherwise hold the request forever)."""

    def __init__(self, app: ASGIApp, render_error: ErrorRenderer, stall_seconds: float) -> None:
        self.app = app
        self.render_error = render_error
        self.stall_seconds = stall_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cap = body_cap(headers)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            response = self.render_error(scope["path"], _too_large(cap), scope["state"]["request_id"])
            await response(scope, receive, send)
            return
        received = 0
        complete = False

        async def counted() -> Message:
            nonlocal received, complete
            if complete:  # after the body, receive() waits for the client to leave: no deadline
                return await receive()
            try:
                async with asyncio.timeout(self.stall_seconds):
                    message = await receive()
            except TimeoutError:
                raise RequestTimeout(self.stall_seconds) from None  # rendered in the dialect's shape
            received += len(message.get("body", b""))
            if received > cap:
                raise _too_large(cap)  # rendered by the app's error handlers, in the dialect's shape
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, counted, send)


def _too_large(cap: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than {cap // 1024} KiB.")


class _TokenBucket:
    __slots__ = ("tokens", "updated")

    def __init__(self, tokens: float, updated: float) -> None:
        self.tokens = tokens
        self.updated = updated


class TokenBuckets:
    """A token bucket per name (an API key, an address), in this process; the least recently seen
    names are forgotten first past ``MAX_TRACKED``."""

    MAX_TRACKED = 10_000

    def __init__(self, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self.burst = burst
        self.clock = clock
        self.buckets: OrderedDict[str, _TokenBucket] = OrderedDict()

    def wait_seconds(self, name: str) -> float:
        """0 when a request may go now (and takes a token), else how long until it may."""
        now = self.clock()
        bucket = self.buckets.pop(name, None) or _TokenBucket(float(self.burst), now)
        self.buckets[name] = bucket
        if len(self.buckets) > self.MAX_TRACKED:
            self.buckets.popitem(last=False)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.per_second


BAD_KEYS = "Too many requests with an invalid API key from this address; slow down."


class RateLimitMiddleware:
    """Two limits, after authentication, so that no one can spend another's allowance:

    - per authenticated key (its prefix, found by the whole key's hash): ``per_second``, ``burst``;
    - per client address, for requests presenting a key that does not authenticate:
      ``auth_failures_per_minute`` (each such request takes a token; past it, 429 instead of 401).

    Each API process limits on its own: with N processes a key may send up to N times the rate. That
    keeps the limit free of shared state; it protects the service, it is not a billing meter.
    """

    def __init__(
        self,
        app: ASGIApp,
        render_error: ErrorRenderer,
        per_second: float,
        burst: int,
        auth_failures_per_minute: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.render_error = render_error
        self.keys = TokenBuckets(per_second, burst, clock) if per_second > 0 else None
        self.addresses = (
            TokenBuckets(auth_failures_per_minute / 60, auth_failures_per_minute, clock)
            if auth_failures_per_minute > 0
            else None
        )

    def _refusal(self, scope: Scope) -> KycrailError | None:
        principal = scope["state"].get(PRINCIPAL)
        if principal is not None:
            wait = self.keys.wait_seconds(principal.key_prefix) if self.keys else 0.0
            return RateLimited(max(1, math.ceil(wait))) if wait > 0 else None
        if self.addresses is None or presented_key(Headers(scope=scope)) is None:
            return None  # no key at all: answered 401 where one is needed, at no cost
        client = scope.get("client")
        wait = self.addresses.wait_seconds(client[0] if client else "-")
        return RateLimited(max(1, math.ceil(wait)), BAD_KEYS) if wait > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = self._refusal(scope) if scope["type"] == "http" else None
        if error is not None:
            response = self.render_error(scope["path"], error, scope["state"]["request_id"])
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
