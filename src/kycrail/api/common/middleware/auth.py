"""API keys: ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``.

``AuthenticationMiddleware`` checks the key a request presents, once, from the headers alone, and leaves
the principal (or None) in the request's state; the dependencies below only read it. A route that needs
a key refuses a request without a valid one right there, before its body is read or a place in flight
taken (``known_routes`` found what the route needs). Every refusal (no key, malformed, unknown, revoked)
is the same 401, so a caller learns nothing about which keys exist; an address whose keys keep failing
is answered 429 instead.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from kycrail.api.common.middleware.clients import address_of
from kycrail.api.common.middleware.request_context import ErrorRenderer
from kycrail.api.common.middleware.token_buckets import TokenBuckets
from kycrail.api.common.resources import Resources
from kycrail.customers.audit import Actor
from kycrail.errors import Forbidden, KycrailError, RateLimited, Unauthenticated
from kycrail.metrics.endpoint import PATH as METRICS_PATH
from kycrail.storage import Storage
from kycrail.tenants import keys, service
from kycrail.tenants.service import Principal

PRINCIPAL = "principal"  # the request state's key for who is calling (None: no valid key)
NEEDED_SCOPES = "needed_scopes"  # the request state's key for what its route needs (``Need``)
Need = frozenset[keys.Scope] | None  # the scopes a route's key must have; None: it takes no key

# What the OpenAPI document says about keys. The operations that check one are found from their
# dependencies (``declare_key_security``) rather than declared with FastAPI's Security() parameters:
# those are sub-dependencies solved on every request, for a document that is built once.
SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "HTTPBearer": {"type": "http", "scheme": "bearer", "description": "`Authorization: Bearer kr_...`"},
    "APIKeyHeader": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "`X-API-Key: kr_...`",
    },
}
_KEY_CHECKS: dict[Callable[..., Any], keys.Scope] = {}  # the dependencies that need a key, and its scope
# Paths whose Authorization header never holds an API key: /metrics' bearer is the metrics token, which
# its route checks. It is not looked up as a key, nor counted as a key that failed.
NOT_API_KEY_PATHS = frozenset({METRICS_PATH})


def presented_key(headers: Headers) -> str | None:
    """The key a request presents. An Authorization header, when sent, must be the one that holds it."""
    authorization = headers.get("authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.partition(" ")
        return credentials.strip() or None if scheme.lower() == "bearer" else None
    return headers.get("x-api-key") or None


BAD_KEYS = "Too many requests with an invalid API key from this address; slow down."


class AuthenticationMiddleware:
    """Checks the presented key once per request (through the key cache) for every later stage, and
    refuses what the route's needs (``NEEDED_SCOPES``) already rule out: no valid key (401), a role
    without the scope (403). Requests presenting a key that does not authenticate are limited per
    address (``failures_per_minute``; past it, 429 instead of 401)."""

    def __init__(
        self,
        app: ASGIApp,
        resources: Callable[[], Resources],
        render_error: ErrorRenderer,
        failures_per_minute: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.resources = resources
        self.render_error = render_error
        self.failures = (
            TokenBuckets(failures_per_minute / 60, failures_per_minute, clock)
            if failures_per_minute > 0
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        key = None if scope["path"] in NOT_API_KEY_PATHS else presented_key(Headers(scope=scope))
        principal = None
        if key:
            resources = self.resources()
            principal = await service.authenticate(resources.engine, key, resources.key_cache)
        state = scope["state"]
        state[PRINCIPAL] = principal
        refusal = self._refusal(scope, principal, key is not None, state.get(NEEDED_SCOPES))
        if refusal is not None:
            await self.render_error(scope["path"], refusal, state["request_id"])(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(
        self, scope: Scope, principal: Principal | None, presented: bool, need: Need
    ) -> KycrailError | None:
        if principal is None and presented and self.failures is not None:
            wait = self.failures.wait_seconds(address_of(scope))
            if wait > 0:
                return RateLimited(max(1, math.ceil(wait)), BAD_KEYS)
        if need is None:
            return None  # the route takes requests without a key
        if principal is None:
            return Unauthenticated()
        return None if need <= keys.SCOPES[principal.role] else Forbidden()


def principal_of(scope: Scope) -> Principal | None:
    """Who is calling, as ``AuthenticationMiddleware`` found it; None without a valid key."""
    principal: Principal | None = scope.get("state", {}).get(PRINCIPAL)
    return principal


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls a keyed route, and what the running app holds: one dependency per request (each
    dependency FastAPI solves costs every request some 10-20 us)."""

    principal: Principal
    resources: Resources
    request_id: str

    @property
    def tenant_id(self) -> str:
        return self.principal.tenant_id

    @property
    def storage(self) -> Storage:
        return self.resources.storage

    @property
    def actor(self) -> Actor:
        """The principal of a write, with the request it came in: what the audit trail records."""
        principal = self.principal
        return Actor(
            tenant_id=principal.tenant_id,
            key_prefix=principal.key_prefix,
            role=principal.role.value,
            request_id=self.request_id,
        )


def request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", "-"))


async def _caller(request: Request) -> Caller:
    principal = principal_of(request.scope)
    if principal is None:
        raise Unauthenticated()
    return Caller(principal, request.app.state.resources, request_id(request))


def caller_who_may(scope: keys.Scope) -> Callable[[Request], Awaitable[Caller]]:
    """A valid key (401 otherwise) whose role's scopes hold ``scope`` (403 otherwise). Authentication
    refuses both before the route is reached; this hands the route its caller."""

    async def dependency(request: Request) -> Caller:
        caller = await _caller(request)
        if scope not in keys.SCOPES[caller.principal.role]:
            raise Forbidden()
        return caller

    _KEY_CHECKS[dependency] = scope
    return dependency


def scopes_needed(dependant: Dependant) -> Need:
    """The scopes a route's key checks ask for (an empty set: any valid key); None when it has none."""
    found: set[keys.Scope] = set()
    checked = False
    for dependency in dependant.dependencies:
        if dependency.call in _KEY_CHECKS:
            checked = True
            found.add(_KEY_CHECKS[dependency.call])
        deeper = scopes_needed(dependency)
        if deeper is not None:
            checked = True
            found |= deeper
    return frozenset(found) if checked else None


def declare_key_security(openapi: dict[str, Any], routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """Mark every operation that needs a key, and name the two ways to present one."""
    openapi.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    requirement: list[dict[str, list[str]]] = [{name: []} for name in SECURITY_SCHEMES]
    for route in routes:
        if (
            isinstance(route, APIRoute)
            and route.include_in_schema
            and scopes_needed(route.dependant) is not None
        ):
            for method in route.methods or ():
                openapi["paths"][route.path_format][method.lower()]["security"] = requirement
    return openapi
