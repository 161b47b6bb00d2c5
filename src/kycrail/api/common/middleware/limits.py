"""Request limits: body caps (413), bodies late past their deadline (408), requests in flight (503),
and the rate limit per authenticated key (429 with Retry-After).

The connection-level limits (header size and deadline, open connections) are the HTTP server's:
``kycrail/serving.py``. Keys that fail authentication are limited in ``auth``.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kycrail.api.common.middleware.auth import PRINCIPAL
from kycrail.api.common.middleware.clients import address_of
from kycrail.api.common.middleware.request_context import ErrorRenderer
from kycrail.api.common.middleware.token_buckets import TokenBuckets
from kycrail.documents.content import MAX_DOCUMENT_BYTES
from kycrail.errors import Overloaded, PayloadTooLarge, RateLimited, RequestTimeout
from kycrail.metrics.endpoint import PATH as METRICS_PATH
from kycrail.tenants.service import Principal

MAX_JSON_BYTES = 1024 * 1024
# Room for the multipart envelope and the small form fields around a document.
MULTIPART_ENVELOPE_BYTES = 64 * 1024


def body_cap(headers: Headers, max_document_bytes: int = MAX_DOCUMENT_BYTES) -> int:
    content_type = headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        return max_document_bytes + MULTIPART_ENVELOPE_BYTES
    return MAX_JSON_BYTES


# A liveness probe must not fail because the process is busy: an orchestrator would restart a process
# that is working (readiness, /readyz, may well say "not now"). Nor a scrape: a busy process is when
# its metrics matter most, and a scrape, which presents no API key, would take the anonymous share.
UNCAPPED_PATHS = frozenset({"/healthz", METRICS_PATH})
ANONYMOUS = "anonymous"  # every request without a valid key, together


class InFlightLimitMiddleware:
    """Answers 503 (Retry-After: 1) past ``max_requests`` requests in this process at once: a surge is
    told to come back rather than queued behind the database until clients time out.

    No one client takes every place: an API key holds at most ``per_client`` of them. Requests without a
    valid key (the routes that take none: SumSub's webhooks, health, the docs) hold at most
    ``per_client`` all together, and a quarter of that per address, so that strangers, however many
    addresses they have, never crowd out the platforms' keys.
    """

    def __init__(self, app: ASGIApp, render_error: ErrorRenderer, max_requests: int, per_client: int) -> None:
        self.app = app
        self.render_error = render_error
        self.max_requests = max_requests
        self.per_client = min(per_client, max_requests)
        self.per_address = max(1, self.per_client // 4)
        self.in_flight = 0
        self.held: Counter[str] = Counter()  # places held, by client (see ``_shares``)

    def _shares(self, scope: Scope) -> tuple[tuple[str, int], ...]:
        """The counts this request adds to, each with its cap."""
        principal: Principal | None = scope["state"].get(PRINCIPAL)
        if principal is not None:
            return (("key:" + principal.key_prefix, self.per_client),)
        return ((ANONYMOUS, self.per_client), ("address:" + address_of(scope), self.per_address))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNCAPPED_PATHS:
            await self.app(scope, receive, send)
            return
        shares = self._shares(scope)
        if self.in_flight >= self.max_requests or any(self.held[name] >= cap for name, cap in shares):
            response = self.render_error(scope["path"], Overloaded(), scope["state"]["request_id"])
            await response(scope, receive, send)
            return
        self.in_flight += 1
        for name, _ in shares:
            self.held[name] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            for name, _ in shares:
                self.held[name] -= 1
                if not self.held[name]:
                    del self.held[name]


class BodyLimitMiddleware:
    """Refuses a body over its cap: at once when Content-Length says so, else as soon as it is read;
    and one that has not arrived by its deadline (408). The deadline is fixed when the request comes
    in, ``base_seconds`` after it, and moves only by what the body delivers: one second more for each
    ``min_bytes_per_second`` received. A body trickled a byte at a time never restarts a timer, and a
    large upload at a decent rate always has the time it needs."""

    def __init__(
        self,
        app: ASGIApp,
        render_error: ErrorRenderer,
        base_seconds: float,
        min_bytes_per_second: int,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
    ) -> None:
        self.app = app
        self.render_error = render_error
        self.base_seconds = base_seconds
        self.min_bytes_per_second = min_bytes_per_second
        self.max_document_bytes = max_document_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cap = body_cap(headers, self.max_document_bytes)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            response = self.render_error(scope["path"], _too_large(cap), scope["state"]["request_id"])
            await response(scope, receive, send)
            return
        started = asyncio.get_running_loop().time()
        received = 0
        complete = False

        async def counted() -> Message:
            nonlocal received, complete
            if complete:  # after the body, receive() waits for the client to leave: no deadline
                return await receive()
            try:
                async with asyncio.timeout_at(
                    started + self.base_seconds + received / self.min_bytes_per_second
                ):
                    message = await receive()
            except TimeoutError:
                # Rendered in the dialect's shape by the app's error handlers.
                raise RequestTimeout(self.base_seconds, self.min_bytes_per_second) from None
            received += len(message.get("body", b""))
            if received > cap:
                raise _too_large(cap)
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, counted, send)


def _too_large(cap: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than {cap // 1024} KiB.")


class RateLimitMiddleware:
    """Requests per authenticated key (its prefix, found by the whole key's hash), after
    authentication, so that no one can spend another's allowance: ``per_second``, ``burst``.

    Each API process limits on its own: with N processes a key may send up to N times the rate. That
    keeps the limit free of shared state; it protects the service, it is not a billing meter.
    """

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
        self.keys = TokenBuckets(per_second, burst, clock) if per_second > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal: Principal | None = scope["state"].get(PRINCIPAL) if scope["type"] == "http" else None
        if principal is not None and self.keys is not None:
            wait = self.keys.wait_seconds(principal.key_prefix)
            if wait > 0:
                error = RateLimited(max(1, math.ceil(wait)))
                await self.render_error(scope["path"], error, scope["state"]["request_id"])(
                    scope, receive, send
                )
                return
        await self.app(scope, receive, send)
