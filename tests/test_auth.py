"""Every way a request can fail to authenticate gets the same 401; both headers work."""

import httpx
import pytest
from fastapi import Depends, FastAPI

from kycrail.api.common.middleware.auth import Caller, caller_who_may
from kycrail.config import to_async_database_url
from kycrail.db import create_engine
from kycrail.errors import KEY_HEADERS
from kycrail.tenants import keys, service
from kycrail.tenants.keys import Role, Scope
from tests.conftest import KeyFactory

PROTECTED = ["/v2/customer", "/v1/customers"]


def _without_request_id(body: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in body.items() if k not in ("correlationId", "requestId")}


@pytest.mark.parametrize("path", PROTECTED)
async def test_bearer_and_x_api_key_both_authenticate(
    client: httpx.AsyncClient, api_key: str, path: str
) -> None:
    assert (await client.get(path, headers={"Authorization": f"Bearer {api_key}"})).status_code == 200
    assert (await client.get(path, headers={"authorization": f"bearer {api_key}"})).status_code == 200
    assert (await client.get(path, headers={"X-API-Key": api_key})).status_code == 200


async def _refusals(
    client: httpx.AsyncClient, engine: object, api_key: str, path: str
) -> list[httpx.Response]:
    unknown = keys.generate_key()
    same_prefix_wrong_secret = api_key[:12] + keys.generate_key()[12:]
    cases = [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Basic {api_key}"},
        {"Authorization": api_key},
        {"Authorization": "Bearer not-a-key"},
        {"Authorization": f"Bearer {api_key}x"},
        {"Authorization": f"Bearer {unknown}"},
        {"Authorization": f"Bearer {same_prefix_wrong_secret}"},
        {"X-API-Key": ""},
        {"X-API-Key": "kr_short"},
        {"X-API-Key": unknown},
        # An Authorization header that does not hold the key wins over a good X-API-Key.
        {"Authorization": "Basic abc", "X-API-Key": api_key},
    ]
    return [await client.get(path, headers=headers) for headers in cases]


async def test_every_sphere_refusal_is_the_same_401(client: httpx.AsyncClient, api_key: str) -> None:
    responses = await _refusals(client, None, api_key, "/v2/customer")
    bodies = {str(_without_request_id(response.json())) for response in responses}
    assert all(response.status_code == 401 for response in responses)
    assert all(response.headers["www-authenticate"] == "Bearer" for response in responses)
    assert len(bodies) == 1
    body = responses[0].json()
    assert body["status"] == 401
    assert body["code"] == "unauthorized"
    assert body["detail"] == "Invalid or missing API key. " + KEY_HEADERS  # how to send one
    assert body["correlationId"] == responses[0].headers["x-request-id"]


async def test_every_swipelux_refusal_is_the_same_401(client: httpx.AsyncClient, api_key: str) -> None:
    responses = await _refusals(client, None, api_key, "/v1/customers")
    bodies = {str(_without_request_id(response.json())) for response in responses}
    assert all(response.status_code == 401 for response in responses)
    assert len(bodies) == 1
    body = responses[0].json()
    assert body["message"] == "Unauthorized. " + KEY_HEADERS
    assert body["code"] == "unauthorized"
    assert body["requestId"] == responses[0].headers["x-request-id"]


async def test_a_revoked_key_is_refused_like_an_unknown_one(
    app: FastAPI, client: httpx.AsyncClient, engine: object, api_key: str
) -> None:
    headers = {"X-API-Key": api_key}
    cache = app.state.resources.key_cache
    now = cache.clock()
    cache.clock = lambda: now  # the test's own time: a slow machine cannot age the cache under it
    assert (await client.get("/v2/customer", headers=headers)).status_code == 200
    await service.revoke_key(engine, keys.display_prefix(api_key))  # type: ignore[arg-type]
    # A process keeps trusting a key it checked for auth_cache_seconds (5 s by default)...
    assert (await client.get("/v2/customer", headers=headers)).status_code == 200
    # ...and then asks the database again, which refuses it.
    later = now + cache.ttl_seconds + 0.1
    cache.clock = lambda: later
    refused = await client.get("/v2/customer", headers=headers)
    unknown = await client.get("/v2/customer", headers={"X-API-Key": keys.generate_key()})
    assert refused.status_code == 401
    assert _without_request_id(refused.json()) == _without_request_id(unknown.json())


async def test_the_key_cache_serves_a_checked_key_without_the_database(engine: object, api_key: str) -> None:
    cache = service.KeyCache(ttl_seconds=60)
    checked = await service.authenticate(engine, api_key, cache)  # type: ignore[arg-type]
    assert checked is not None
    # Nothing listens on port 1: only an answer from the cache can succeed.
    unreachable = create_engine(to_async_database_url("postgresql://nobody@127.0.0.1:1/none"))
    try:
        assert await service.authenticate(unreachable, api_key, cache) == checked
        with pytest.raises(Exception, match="onnect"):
            await service.authenticate(unreachable, keys.generate_key(), cache)
    finally:
        await unreachable.dispose()


async def test_other_keys_of_the_tenant_survive_a_revocation(
    client: httpx.AsyncClient, engine: object, make_key: KeyFactory
) -> None:
    first, second = await make_key("acme"), await make_key("acme")
    await service.revoke_key(engine, keys.display_prefix(first))  # type: ignore[arg-type]
    assert (await client.get("/v2/customer", headers={"X-API-Key": second})).status_code == 200


async def test_health_endpoints_need_no_key(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).status_code == 200
    assert (await client.get("/readyz")).status_code == 200


async def test_the_role_travels_with_the_request(
    app: FastAPI, client: httpx.AsyncClient, make_key: KeyFactory
) -> None:
    @app.get("/ops/whoami")
    async def whoami(caller: Caller = Depends(caller_who_may(Scope.review))) -> dict[str, str]:  # noqa: B008
        return {"role": caller.principal.role.value, "key": caller.principal.key_prefix}

    reviewer = await make_key("acme", Role.reviewer)
    api = await make_key("acme", Role.api)
    allowed = await client.get("/ops/whoami", headers={"X-API-Key": reviewer})
    assert allowed.json() == {"role": "reviewer", "key": reviewer[:12]}
    refused = await client.get("/ops/whoami", headers={"X-API-Key": api})
    assert refused.status_code == 403
    assert refused.json()["code"] == "auth/forbidden"
    assert (await client.get("/ops/whoami")).status_code == 401


async def test_openapi_declares_both_auth_headers(client: httpx.AsyncClient) -> None:
    schemes = (await client.get("/openapi.json")).json()["components"]["securitySchemes"]
    assert schemes["HTTPBearer"]["scheme"] == "bearer"
    assert schemes["APIKeyHeader"]["name"] == "X-API-Key"
    assert (await client.get("/docs")).status_code == 200
