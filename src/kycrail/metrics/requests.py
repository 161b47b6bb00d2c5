"""The request stage that counts and times every answer, by route template, method, status and dialect.

Outermost in the pipeline (``api/pipeline.py``): it sees every answer, whichever stage gives it (a 404
for a path no route serves, a 500 rendered by the request context), and times the whole of it. The
route is the template ``known_routes`` found (``/v2/customer/{customer_id}``), never the path a client
sent: ids are unbounded and may be personal. Every label comes from a fixed set.

Plain ASGI, and cheap: one histogram observation per request (its count is the requests' counter,
``multiprocess.with_request_counts``), each label set's series looked up once, then kept.
"""

from __future__ import annotations

import asyncio
import time

from prometheus_client import Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kycrail.metrics.families import Families, current

ROUTE_TEMPLATE = "route_template"  # the request state's key for its route's template (known_routes)
UNMATCHED = "unmatched"  # the route of every path no route serves
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER = "other"  # a method outside METHODS; the dialect of a path outside the three APIs
_DIALECTS = (("/v2", "sphere"), ("/v1", "swipelux"), ("/ops", "ops"))
# No answer started when the request ended: the client went away first (nginx's code for it), or
# the app failed without a word (the server then answers 500 itself).
CLIENT_GONE = 499
NO_ANSWER = 500


def dialect_of(path: str) -> str:
    for prefix, dialect in _DIALECTS:
        if path.startswith(prefix) and (len(path) == len(prefix) or path[len(prefix)] == "/"):
            return dialect
    return OTHER


Labels = tuple[str, str, int, str]  # route, method, status, dialect


class RequestMetricsMiddleware:
    def __init__(self, app: ASGIApp, families: Families | None = None) -> None:
        self.app = app
        self.families = families or current()
        self._series: dict[Labels, Histogram] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        started = time.perf_counter()
        status = 0

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        except asyncio.CancelledError:
            status = status or CLIENT_GONE
            raise
        finally:
            method = scope["method"]
            labels = (
                state.get(ROUTE_TEMPLATE, UNMATCHED),
                method if method in METHODS else OTHER,
                status or NO_ANSWER,
                dialect_of(scope["path"]),
            )
            series = self._series.get(labels) or self._new_series(labels)
            series.observe(time.perf_counter() - started)  # its count is the requests' counter

    def _new_series(self, labels: Labels) -> Histogram:
        route, method, status, dialect = labels
        series = self._series[labels] = self.families.request_seconds.labels(
            route, method, str(status), dialect
        )
        return series
