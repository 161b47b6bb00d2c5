"""Messages that say what to do (issue 24, item 4): a 401 names the headers a key is accepted in, and
SumSub calls without credentials say which settings are missing rather than that SumSub refused them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kycrail.app import create_app
from tests.api.calls import create, put
from tests.factories import jane
from tests.settings import settings_for

KEY_HEADERS = ("`Authorization: Bearer <key>`", "`X-API-Key: <key>`")
REFUSED = "refused this service's credentials"


@pytest.mark.parametrize("sent", [{}, {"Authorization": "Bearer kr_unknown"}, {"X-API-Key": "kr_unknown"}])
async def test_a_401_says_how_to_send_a_key_in_both_dialects(
    client: httpx.AsyncClient, sent: dict[str, str]
) -> None:
    sphere = await client.get("/v2/customer", headers=sent)
    assert (sphere.status_code, sphere.json()["code"]) == (401, "unauthorized")
    detail = sphere.json()["detail"]
    assert detail.startswith("Invalid or missing API key.")  # SpherePay's documented detail comes first
    assert all(header in detail for header in KEY_HEADERS), detail

    swipelux = await client.get("/v1/customers", headers=sent)
    assert (swipelux.status_code, swipelux.json()["code"]) == (401, "unauthorized")
    message = swipelux.json()["message"]
    assert message.startswith("Unauthorized")  # Swipelux's documented wording comes first
    assert all(header in message for header in KEY_HEADERS), message


@pytest.fixture
async def without_sumsub(database_url: str) -> Any:
    """The app as `kycrail serve` runs it without KYCRAIL_SUMSUB_APP_TOKEN and KYCRAIL_SUMSUB_SECRET_KEY."""
    plain: FastAPI = create_app(settings_for(database_url))
    async with plain.router.lifespan_context(plain):
        transport = httpx.ASGITransport(app=plain)
        async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as client:
            yield client


def _says_what_is_missing(text: str) -> None:
    assert "KYCRAIL_SUMSUB_APP_TOKEN" in text, text
    assert "KYCRAIL_SUMSUB_SECRET_KEY" in text, text
    assert "kycrail serve --sandbox" in text, text
    assert REFUSED not in text, text  # SumSub refused nothing: it was never called


async def test_without_credentials_imports_and_links_name_the_missing_settings(
    without_sumsub: httpx.AsyncClient, make_key: Any
) -> None:
    key = {"X-API-Key": await make_key("plain")}
    created = await create(without_sumsub, key)
    imported = await put(without_sumsub, key, created["id"], {"shareToken": "_act-jwt-anything"})
    assert (imported.status_code, imported.json()["code"]) == (502, "kyc_provider_misconfigured")
    _says_what_is_missing(imported.json()["message"])

    v1_link = await without_sumsub.post(f"/v1/customers/{created['id']}/kyc", headers=key)
    assert (v1_link.status_code, v1_link.json()["code"]) == (502, "kyc_provider_misconfigured")
    _says_what_is_missing(v1_link.json()["message"])

    individual = await without_sumsub.post("/v2/customer", json=jane(), headers=key)
    v2_link = await without_sumsub.post(f"/v2/customer/{individual.json()['id']}/kyc-link", headers=key)
    assert (v2_link.status_code, v2_link.json()["code"]) == (502, "kyc-provider/misconfigured")
    _says_what_is_missing(v2_link.json()["detail"])
