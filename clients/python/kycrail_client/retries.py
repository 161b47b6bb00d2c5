"""Retries with an idempotency key, as transports under httpx: each write gets its key once, before its
first attempt, and keeps it for every retry, so kycrail answers a retry with the first answer and
writes nothing twice."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
IDEMPOTENCY_KEY = "Idempotency-Key"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to wait: ``attempts`` in all; ``retry_on`` answers (429 and 503, the ones
    kycrail sends with ``Retry-After``); a wait of ``backoff`` seconds doubling each time (capped at
    ``max_wait``) unless ``Retry-After`` names one."""

    attempts: int = 4
    retry_on: frozenset[int] = frozenset({429, 503})
    backoff: float = 0.5
    max_wait: float = 30.0

    def wait(self, attempt: int, response: httpx.Response | None, now: Callable[[], datetime]) -> float:
        if response is not None:
            named = retry_after(response.headers.get("Retry-After"), now())
            if named is not None:
                return min(named, self.max_wait)
        return min(self.backoff * 2.0 ** (attempt - 1), self.max_wait)


DEFAULT_POLICY = RetryPolicy()


def retry_after(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` in seconds: a number of seconds, or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - now).total_seconds(), 0.0)


def with_key(request: httpx.Request) -> httpx.Request:
    """The request, a write given its idempotency key if it has none (the key stays with the request,
    so every retry sends the same one)."""
    if request.method in WRITES and IDEMPOTENCY_KEY not in request.headers:
        request.headers[IDEMPOTENCY_KEY] = str(uuid.uuid4())
    return request


def _utc_now() -> datetime:
    return datetime.now(UTC)


class RetryingTransport(httpx.BaseTransport):
    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        policy: RetryPolicy = DEFAULT_POLICY,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._inner = inner or httpx.HTTPTransport()
        self._policy = policy
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request = with_key(request)
        request.read()  # the body is sent again on a retry
        for attempt in range(1, self._policy.attempts + 1):
            last = attempt == self._policy.attempts
            try:
                response = self._inner.handle_request(request)
            except httpx.TransportError:
                if last:
                    raise
                self._sleep(self._policy.wait(attempt, None, _utc_now))
                continue
            if response.status_code not in self._policy.retry_on or last:
                return response
            response.read()
            response.close()
            self._sleep(self._policy.wait(attempt, response, _utc_now))
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self._inner.close()


class AsyncRetryingTransport(httpx.AsyncBaseTransport):
    def __init__(
        self, inner: httpx.AsyncBaseTransport | None = None, policy: RetryPolicy = RetryPolicy()
    ) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport()
        self._policy = policy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request = with_key(request)
        await request.aread()
        for attempt in range(1, self._policy.attempts + 1):
            last = attempt == self._policy.attempts
            try:
                response = await self._inner.handle_async_request(request)
            except httpx.TransportError:
                if last:
                    raise
                await asyncio.sleep(self._policy.wait(attempt, None, _utc_now))
                continue
            if response.status_code not in self._policy.retry_on or last:
                return response
            await response.aread()
            await response.aclose()
            await asyncio.sleep(self._policy.wait(attempt, response, _utc_now))
        raise AssertionError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        await self._inner.aclose()
