"""Request limits: body size caps (413) and a per-key rate limit (429 with Retry-After)."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kycrail.api.common.auth import presented_key
from kycrail.api.common.request_context import ErrorRenderer
from kycrail.documents.content import MAX_DOCUMENT_BYTES
from kycrail.errors import KycrailError, PayloadTooLarge, RateLimited
from kycrail.tenants.keys import display_prefix, is_well_formed

MAX_JSON_BYTES = 1024 * 1024
# Room for the multipart envelope and the small form fields around a document.
MAX_MULTIPART_BYTES = MAX_DOCUMENT_BYTES + 64 * 1024


def body_cap(headers: Headers) -> int:
    content_type = headers.get("content-type", "")
    return MAX_MULTIPART_BYTES if content_type.startswith("multipart/form-data") else MAX_JSON_BYTES


class BodyLimitMiddleware:
    """Refuses a body over its cap: at once when Content-Length says so, else as soon as it is read."""

    def __init__(self, app: ASGIApp, render_error: ErrorRenderer) -> None:
        self.app = app
        self.render_error = render_error

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

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > cap:
                raise _too_large(cap)  # rendered by the app's error handlers, in the dialect's shape
            return message

        await self.app(scope, counted, send)


def _too_large(cap: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than {cap // 1024} KiB.")


class _TokenBucket:
    __slots__ = ("tokens", "updated")

    def __init__(self, tokens: float, updated: float) -> None:
        self.tokens = tokens
        self.updated = updated


class RateLimitMiddleware:
    """A token bucket per API key (by its prefix), in this process.

    Each API process limits on its own: with N processes a key may send up to N times the rate. That
    keeps the limit free of shared state; it protects the service, it is not a billing meter.
    """

    MAX_TRACKED_KEYS = 10_000  # least recently seen keys are forgotten first

    def __init__(
        self,
        app: ASGIApp,
        render_error: ErrorRenderer,
        per_second: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.render_error = render_error
        self.per_second = per_second
        self.burst = burst
        self.clock = clock
        self.buckets: OrderedDict[str, _TokenBucket] = OrderedDict()

    def _wait_seconds(self, prefix: str) -> float:
        """0 when the request may go now (and takes a token), else how long until it may."""
        now = self.clock()
        bucket = self.buckets.pop(prefix, None) or _TokenBucket(float(self.burst), now)
        self.buckets[prefix] = bucket
        if len(self.buckets) > self.MAX_TRACKED_KEYS:
            self.buckets.popitem(last=False)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.per_second

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.per_second <= 0:
            await self.app(scope, receive, send)
            return
        key = presented_key(Headers(scope=scope))
        wait = self._wait_seconds(display_prefix(key)) if key and is_well_formed(key) else 0.0
        if wait > 0:
            error: KycrailError = RateLimited(max(1, math.ceil(wait)))
            response = self.render_error(scope["path"], error, scope["state"]["request_id"])
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
