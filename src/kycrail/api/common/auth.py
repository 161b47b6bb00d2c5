"""The auth dependency: ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``.

Every refusal (no key, malformed, unknown, revoked) is the same 401, so a caller learns nothing
about which keys exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPBearer
from starlette.datastructures import Headers

from kycrail.api.common.resources import Resources, get_resources
from kycrail.customers.audit import Actor
from kycrail.errors import Forbidden, Unauthenticated
from kycrail.tenants import service
from kycrail.tenants.keys import Role
from kycrail.tenants.service import Principal

# Declared for the OpenAPI document; the header parsing itself is ``presented_key``.
_bearer_scheme = HTTPBearer(auto_error=False, description="`Authorization: Bearer kr_...`")
_api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="`X-API-Key: kr_...`")


def presented_key(headers: Headers) -> str | None:
    """The key a request presents. An Authorization header, when sent, must be the one that holds it."""
    authorization = headers.get("authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.partition(" ")
        return credentials.strip() or None if scheme.lower() == "bearer" else None
    return headers.get("x-api-key") or None


async def require_principal(
    request: Request,
    resources: Annotated[Resources, Depends(get_resources)],
    _bearer: Annotated[object, Security(_bearer_scheme)] = None,
    _api_key: Annotated[object, Security(_api_key_scheme)] = None,
) -> Principal:
    key = presented_key(request.headers)
    principal = await service.authenticate(resources.engine, key, resources.key_cache) if key else None
    if principal is None:
        raise Unauthenticated()
    return principal


def require_role(role: Role) -> Callable[[Principal], Awaitable[Principal]]:
    async def dependency(principal: Annotated[Principal, Depends(require_principal)]) -> Principal:
        if principal.role is not role:
            raise Forbidden()
        return principal

    return dependency


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]


def request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", "-"))


async def current_actor(request: Request, principal: CurrentPrincipal) -> Actor:
    """The principal of a write, with the request it came in: what the audit trail records."""
    return Actor(
        tenant_id=principal.tenant_id,
        key_prefix=principal.key_prefix,
        role=principal.role.value,
        request_id=request_id(request),
    )


CurrentActor = Annotated[Actor, Depends(current_actor)]
