"""``GET /metrics``: the Prometheus text format, for requests bearing ``KYCRAIL_METRICS_TOKEN``.

Served only when the token is set (without it the path is unknown: 404 like any other). It is not
part of the API: not in the OpenAPI document, and no API key opens it (the authentication stage never
takes its bearer for one: ``api/common/middleware/auth.py``); a missing or wrong token is 401. The token is
compared in constant time, as digests, so neither its value nor its length shows in the timing.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Callable, Iterable

from prometheus_client import Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kycrail.errors import Unauthenticated
from kycrail.metrics import multiprocess
from kycrail.metrics.database import DatabaseReadings
from kycrail.metrics.families import current

PATH = "/metrics"
# The text format every Prometheus reads (generate_latest writes it: the names are all plain ones).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def configured_token(token: str | None) -> str | None:
    """The token that opens ``/metrics`` (white space around it dropped, as a secret file may end in a
    newline); None (metrics off) when unset or blank."""
    return token.strip() or None if token else None


def route(token: str, engine: Callable[[], AsyncEngine]) -> Route:
    """``GET /metrics`` (and HEAD), for an app whose database ``engine()`` gives once it serves."""
    return Route(PATH, Scrapes(token, engine).answer, methods=["GET"], include_in_schema=False)


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


class Scrapes:
    def __init__(self, token: str, engine: Callable[[], AsyncEngine]) -> None:
        self._token_digest = _digest(token)
        self._readings = DatabaseReadings(engine)

    def bears_the_token(self, headers: Headers) -> bool:
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        presented = credentials.strip() if scheme.lower() == "bearer" else ""
        return hmac.compare_digest(_digest(presented), self._token_digest) and bool(presented)

    async def answer(self, request: Request) -> Response:
        if not self.bears_the_token(request.headers):
            raise _token_refused()
        collectors = [*multiprocess.collectors(current()), _Fixed(await self._readings.families())]
        # Reading the processes' files and rendering the text is blocking work: off the event loop.
        body = await asyncio.to_thread(generate_latest, _Together(collectors))
        return Response(body, media_type=CONTENT_TYPE)


def _token_refused() -> Unauthenticated:
    """The API's 401 (its shape, ``WWW-Authenticate: Bearer``), in words that name what is asked for."""
    refused = Unauthenticated()
    refused.detail = "Invalid or missing metrics token. Send it as `Authorization: Bearer <token>`."
    return refused


class _Fixed:
    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return self.families


class _Together:
    def __init__(self, collectors: list[Collector]) -> None:
        self.collectors = collectors

    def collect(self) -> Iterable[Metric]:
        for collector in self.collectors:
            yield from multiprocess.with_request_counts(collector.collect())
