"""The request pipeline: the one place that says which stages a request passes, in which order.

Outermost first: the request metrics (every answer counted and timed, whichever stage gives it); one
path for ``/x`` and ``/x/``; request context (id, access log, the last word on unexpected failures);
the route known (404, 405 and what it needs answered before anything else); authentication, from the
headers alone (a route that needs a key refuses a request without one here, before its body is read
or a place in flight taken); the rate limit (by the authenticated key, so that no one can spend
another's); the cap on requests in flight (each client its share); body caps and the body's deadline;
idempotency keys (which belong to the caller's tenant); then the routes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fastapi import FastAPI
from starlette.routing import BaseRoute

from kycrail.api.common.idempotency import IdempotencyMiddleware
from kycrail.api.common.middleware.auth import AuthenticationMiddleware
from kycrail.api.common.middleware.known_routes import KnownRouteMiddleware
from kycrail.api.common.middleware.limits import (
    BodyLimitMiddleware,
    InFlightLimitMiddleware,
    RateLimitMiddleware,
)
from kycrail.api.common.middleware.paths import TrailingSlashMiddleware
from kycrail.api.common.middleware.request_context import RequestContextMiddleware
from kycrail.api.common.resources import Resources
from kycrail.api.errors import render_error
from kycrail.config import Settings
from kycrail.metrics.requests import RequestMetricsMiddleware

STAGES = (
    RequestMetricsMiddleware,
    TrailingSlashMiddleware,
    RequestContextMiddleware,
    KnownRouteMiddleware,
    AuthenticationMiddleware,
    RateLimitMiddleware,
    InFlightLimitMiddleware,
    BodyLimitMiddleware,
    IdempotencyMiddleware,
)


def install(
    app: FastAPI,
    settings: Settings,
    resources: Callable[[], Resources],
    routes: Callable[[], Iterable[BaseRoute]],
) -> None:
    """Add the stages to ``app``, in ``STAGES`` order (Starlette runs the last one added first);
    ``routes``: every route the app serves, once it serves."""
    options: dict[type, dict[str, object]] = {
        RequestMetricsMiddleware: {},
        TrailingSlashMiddleware: {},
        RequestContextMiddleware: {"render_error": render_error},
        KnownRouteMiddleware: {"render_error": render_error, "routes": routes},
        AuthenticationMiddleware: {
            "resources": resources,
            "render_error": render_error,
            "failures_per_minute": settings.auth_failures_per_minute,
        },
        RateLimitMiddleware: {
            "render_error": render_error,
            "per_second": settings.rate_limit_per_second,
            "burst": settings.rate_limit_burst,
        },
        InFlightLimitMiddleware: {
            "render_error": render_error,
            "max_requests": settings.max_requests_in_flight,
            "per_client": settings.max_requests_in_flight_per_client,
        },
        BodyLimitMiddleware: {
            "render_error": render_error,
            "base_seconds": settings.body_timeout_seconds,
            "min_bytes_per_second": settings.body_min_bytes_per_second,
            "max_document_bytes": settings.document_max_bytes,
        },
        IdempotencyMiddleware: {"render_error": render_error, "resources": resources},
    }
    for stage in reversed(STAGES):
        app.add_middleware(stage, **options[stage])
