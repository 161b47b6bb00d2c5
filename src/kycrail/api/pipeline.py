"""The request pipeline: the one place that says which stages a request passes, in which order.

Outermost first: one path for ``/x`` and ``/x/``, request context (id, access log, the last word on
unexpected failures), the cap on requests in flight, body size caps and stall deadline,
authentication (the key checked once, for every later stage), the rate limits (by the authenticated
key, so that no one can spend another's; by address for keys that fail), idempotency keys (which
belong to the caller's tenant), then the routes.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from kycrail.api.common.auth import AuthenticationMiddleware
from kycrail.api.common.idempotency import IdempotencyMiddleware
from kycrail.api.common.limits import BodyLimitMiddleware, InFlightLimitMiddleware, RateLimitMiddleware
from kycrail.api.common.paths import TrailingSlashMiddleware
from kycrail.api.common.request_context import RequestContextMiddleware
from kycrail.api.common.resources import Resources
from kycrail.api.errors import render_error
from kycrail.config import Settings

STAGES = (
    TrailingSlashMiddleware,
    RequestContextMiddleware,
    InFlightLimitMiddleware,
    BodyLimitMiddleware,
    AuthenticationMiddleware,
    RateLimitMiddleware,
    IdempotencyMiddleware,
)


def install(app: FastAPI, settings: Settings, resources: Callable[[], Resources]) -> None:
    """Add the stages to ``app``, in ``STAGES`` order (Starlette runs the last one added first)."""
    options: dict[type, dict[str, object]] = {
        TrailingSlashMiddleware: {},
        RequestContextMiddleware: {"render_error": render_error},
        InFlightLimitMiddleware: {
            "render_error": render_error,
            "max_requests": settings.max_requests_in_flight,
        },
        BodyLimitMiddleware: {"render_error": render_error, "stall_seconds": settings.body_timeout_seconds},
        RateLimitMiddleware: {
            "render_error": render_error,
            "per_second": settings.rate_limit_per_second,
            "burst": settings.rate_limit_burst,
            "auth_failures_per_minute": settings.auth_failures_per_minute,
        },
        AuthenticationMiddleware: {"resources": resources},
        IdempotencyMiddleware: {"render_error": render_error, "resources": resources},
    }
    for stage in reversed(STAGES):
        app.add_middleware(stage, **options[stage])
