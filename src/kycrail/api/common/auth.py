"""API keys: ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``.

``AuthenticationMiddleware`` checks the key a request presents, once, and leaves the principal (or None)
in the request's state; the dependencies below only read it. Every refusal (no key, malformed,
unknown, revoked) is the same 401, so a caller learns nothing about which keys exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from kycrail.api.common.resources import Resources
from kycrail.customers.audit import Actor
from kycrail.errors import Forbidden, Unauthenticated
from kycrail.storage import Storage
from kycrail.tenants import keys, service
from kycrail.tenants.service import Principal

PRINCIPAL = "principal"  # the request state's key for who is calling (None: no valid key)

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
_KEY_CHECKS: set[Callable[..., Any]] = set()  # the dependencies that need a key (``key_required``)
Check = TypeVar("Check", bound=Callable[..., Any])


def key_required(check: Check) -> Check:
    """Mark a dependency as one that refuses a request without a valid key (for the OpenAPI document)."""
    _KEY_CHECKS.add(check)
    return check


def presented_key(headers: Headers) -> str | None:
    """The key a request presents. An Authorization header, when sent, must be the one that holds it."""
    authorization = headers.get("authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.partition(" ")
        return credentials.strip() or None if scheme.lower() == "bearer" else None
    return headers.get("x-api-key") or None


class AuthenticationMiddleware:
    """Checks the presented key once per request (through the key cache) for every later stage."""

    def __init__(self, app: ASGIApp, resources: Callable[[], Resources]) -> None:
        self.app = app
        self.resources = resources

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            key = presented_key(Headers(scope=scope))
            principal = None
            if key:
                resources = self.resources()
                principal = await service.authenticate(resources.engine, key, resources.key_cache)
            scope.setdefault("state", {})[PRINCIPAL] = principal
        await self.app(scope, receive, send)


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
    """A valid key (401 otherwise) whose role's scopes hold ``scope`` (403 otherwise)."""

    @key_required
    async def dependency(request: Request) -> Caller:
        caller = await _caller(request)
        if scope not in keys.SCOPES[caller.principal.role]:
            raise Forbidden()
        return caller

    return dependency


def _checks_a_key(dependant: Dependant) -> bool:
    return any(
        dependency.call in _KEY_CHECKS or _checks_a_key(dependency) for dependency in dependant.dependencies
    )


def declare_key_security(openapi: dict[str, Any], routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """Mark every operation that needs a key, and name the two ways to present one."""
    openapi.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    requirement: list[dict[str, list[str]]] = [{name: []} for name in SECURITY_SCHEMES]
    for route in routes:
        if isinstance(route, APIRoute) and route.include_in_schema and _checks_a_key(route.dependant):
            for method in route.methods or ():
                openapi["paths"][route.path_format][method.lower()]["security"] = requirement
    return openapi
