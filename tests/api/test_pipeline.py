"""The request pipeline's order is pinned: each stage relies on the ones before it."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from kycrail.api import pipeline
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
from kycrail.metrics.requests import RequestMetricsMiddleware


def test_the_stages_run_in_the_declared_order(app: FastAPI) -> None:
    assert (
        RequestMetricsMiddleware,  # outermost: counts and times every answer, whichever stage gives it
        TrailingSlashMiddleware,  # every later stage sees one path for /x and /x/
        RequestContextMiddleware,  # every answer, errors included, carries the request id
        KnownRouteMiddleware,  # 404 and 405 before anything looks at the request
        AuthenticationMiddleware,  # from the headers: no body read, no place taken without a key
        RateLimitMiddleware,  # by the authenticated key: no one can spend another key's allowance
        InFlightLimitMiddleware,  # each client its share of places, counted by its key
        BodyLimitMiddleware,  # nothing reads an oversized or late body
        IdempotencyMiddleware,  # keys belong to the caller's tenant
    ) == pipeline.STAGES
    # Starlette keeps the outermost first.
    assert [middleware.cls for middleware in app.user_middleware] == list(pipeline.STAGES)


async def test_an_idempotent_write_without_a_valid_key_is_refused_as_unauthenticated(
    client: httpx.AsyncClient,
) -> None:
    for headers in ({}, {"X-API-Key": "kr_" + "x" * 43}):
        response = await client.post("/v1/customers", json={}, headers={**headers, "Idempotency-Key": "k"})
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"
        assert "x-request-id" in response.headers
