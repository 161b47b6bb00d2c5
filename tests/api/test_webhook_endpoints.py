"""Webhook endpoints in both dialects: the contract's shapes, the secret shown once and stored wrapped,
tenants and dialects apart, the limit, and URLs that cannot receive webhooks (issue 13, item 2)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kycrail.config import Settings
from kycrail.idempotency.tables import idempotency_keys
from kycrail.storage import Storage
from kycrail.vault.vault import WrappedKey
from kycrail.webhooks.service import MAX_ENDPOINTS, secret_bytes
from kycrail.webhooks.tables import webhook_endpoints
from tests.settings import settings_for

PUBLIC = "https://93.184.215.14/hooks"
SPHERE = ("/v2/webhook", {"name": "Customer updates", "url": PUBLIC, "events": ["customer.update", "*"]})
SWIPELUX = ("/v1/webhooks", {"url": PUBLIC, "events": ["customer.verification_changed"]})


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Not the sandbox: URLs are held to https and public addresses."""
    return settings_for(database_url)


async def test_sphere_shape_secret_once_then_read_list_delete(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str], storage: Storage
) -> None:
    path, body = SPHERE
    created = await client.post(path, json=body, headers=headers)
    assert created.status_code == 201, created.text
    webhook = created.json()
    assert set(webhook) == {"id", "name", "url", "events", "status", "secret", "createdAt"}
    assert (webhook["name"], webhook["url"], webhook["status"]) == ("Customer updates", PUBLIC, "healthy")
    assert webhook["events"] == ["customer.update", "*"]
    assert webhook["secret"].startswith("whsec_")
    assert len(secret_bytes(webhook["secret"])) == 32
    shown = {key: value for key, value in webhook.items() if key != "secret"}
    assert (await client.get(f"{path}/{webhook['id']}", headers=headers)).json() == shown  # never again
    assert (await client.get(path, headers=headers)).json() == {"webhooks": [shown]}
    # Stored wrapped by the KEK, never as it is.
    async with storage.engine.connect() as connection:
        row = (await connection.execute(select(webhook_endpoints))).one()
    assert webhook["secret"].encode() not in row.secret_wrapped
    opened = await storage.vault.unwrap_secret(
        row.tenant_id, row.id, WrappedKey(row.secret_kek_id, bytes(row.secret_wrapped))
    )
    assert opened == webhook["secret"].encode()
    # Another tenant, or the other dialect, does not see it.
    assert (await client.get(f"{path}/{webhook['id']}", headers=other_headers)).status_code == 404
    assert (await client.get(path, headers=other_headers)).json() == {"webhooks": []}
    assert (await client.get(f"/v1/webhooks/{webhook['id']}", headers=headers)).status_code == 404
    assert (await client.delete(f"{path}/{webhook['id']}", headers=other_headers)).status_code == 404
    assert (await client.delete(f"{path}/{webhook['id']}", headers=headers)).status_code == 204
    assert (await client.get(f"{path}/{webhook['id']}", headers=headers)).status_code == 404
    assert (await client.delete(f"{path}/{webhook['id']}", headers=headers)).status_code == 404
    assert (await client.get(f"{path}/whk_not-an-id", headers=headers)).json()["code"] == "resource/not-found"


async def test_swipelux_shape(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    path, body = SWIPELUX
    created = await client.post(path, json=body, headers=headers)
    assert created.status_code == 201, created.text
    webhook = created.json()
    assert set(webhook) == {"id", "url", "events", "status", "secretKey", "createdAt"}
    assert webhook["secretKey"].startswith("whsec_")
    listed = (await client.get(path, headers=headers)).json()
    assert listed["total"] == 1
    assert "secretKey" not in listed["data"][0]
    assert (await client.delete(f"{path}/{webhook['id']}", headers=headers)).status_code == 204
    assert (await client.get(path, headers=headers)).json() == {"data": [], "total": 0}


@pytest.mark.parametrize(("path", "body"), [SPHERE, SWIPELUX])
async def test_at_most_ten_per_tenant(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str], path: str, body: Any
) -> None:
    ids = [(await client.post(path, json=body, headers=headers)).json()["id"] for _ in range(MAX_ENDPOINTS)]
    refused = await client.post(path, json=body, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["code"] in ("webhook/limit-reached", "webhook_limit_reached")
    assert (await client.post(path, json=body, headers=other_headers)).status_code == 201  # per tenant
    assert (await client.delete(f"{path}/{ids[0]}", headers=headers)).status_code == 204
    assert (await client.post(path, json=body, headers=headers)).status_code == 201  # room again


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.215.14/hooks",
        "https://127.0.0.1/hooks",
        "https://169.254.169.254/",
        "https://[::1]/h",
        # issue 23: special addresses the standard library's is_global calls public
        "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 to 169.254.169.254
        "https://[::169.254.169.254]/",  # IPv4-compatible
        "https://[2002:a9fe:a9fe::]/",  # 6to4
        "https://224.0.0.1/",  # multicast
    ],
)
async def test_a_url_that_cannot_receive_webhooks_is_refused_with_a_pointer(
    client: httpx.AsyncClient, headers: dict[str, str], url: str
) -> None:
    await _refused_on_both_dialects(client, headers, url)


@pytest.mark.parametrize(
    "address", ["64:ff9b::a9fe:a9fe", "::169.254.169.254", "2002:a9fe:a9fe::", "224.0.0.1", "10.0.0.1"]
)
async def test_a_name_that_resolves_to_a_special_address_is_refused_with_a_pointer(
    client: httpx.AsyncClient, headers: dict[str, str], address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def resolver(host: Any, port: Any, **_: Any) -> list[Any]:
        assert host == "hooks.example.test"
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, int(port)))]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    await _refused_on_both_dialects(client, headers, "https://hooks.example.test/hooks")


async def _refused_on_both_dialects(client: httpx.AsyncClient, headers: dict[str, str], url: str) -> None:
    for path, body in (SPHERE, SWIPELUX):
        refused = await client.post(path, json={**body, "url": url}, headers=headers)
        assert refused.status_code == 400, refused.text
        assert refused.json()["code"] in ("webhook/url-refused", "webhook_url_refused")
        assert refused.json()["errors"][0]["pointer"] == "/url"
    assert (await client.get("/v2/webhook", headers=headers)).json() == {"webhooks": []}
    assert (await client.get("/v1/webhooks", headers=headers)).json() == {"data": [], "total": 0}


async def test_unknown_events_are_refused(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    sphere = await client.post(
        "/v2/webhook", json={**SPHERE[1], "events": ["customer.created"]}, headers=headers
    )
    assert sphere.status_code == 422
    assert sphere.json()["errors"][0]["pointer"] == "/events/0"
    swipelux = await client.post("/v1/webhooks", json={**SWIPELUX[1], "events": []}, headers=headers)
    assert swipelux.status_code == 422


async def test_a_retried_creation_replays_the_same_secret_kept_sealed(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    keyed = {**headers, "Idempotency-Key": "webhook-1"}
    first = await client.post("/v2/webhook", json=SPHERE[1], headers=keyed)
    again = await client.post("/v2/webhook", json=SPHERE[1], headers=keyed)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()  # one endpoint, the same secret
    assert len((await client.get("/v2/webhook", headers=headers)).json()["webhooks"]) == 1
    async with storage.engine.connect() as connection:
        kept = (await connection.execute(select(idempotency_keys.c.response_body))).scalar_one()
    assert first.json()["secret"].encode() not in kept


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/v1/webhooks/whk_" + "0" * 32, "Webhook not found"),
        ("/v1/webhooks/whk_" + "0" * 32 + "/deliveries", "Webhook not found"),
        ("/v1/customers/customer_" + "0" * 32, "Customer not found"),  # Swipelux's documented wording
    ],
)
async def test_v1_says_what_was_not_found(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, message: str
) -> None:
    answer = await client.get(path, headers=headers)
    assert answer.status_code == 404
    assert (answer.json()["code"], answer.json()["message"]) == ("not_found", message)
