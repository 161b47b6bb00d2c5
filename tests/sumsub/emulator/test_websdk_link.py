"""WebSDK links: a URL to the emulator's own page, carrying an unguessable token and nothing else."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.emulator.websdk import LinkExpired, Links
from tests.sumsub.conftest import FakeClock
from tests.sumsub.emulator.calls import assert_sumsub_error, call

LINK_PATH = "/resources/sdkIntegrations/levels/-/websdkLink"


async def link(http: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await call(http, "POST", LINK_PATH, json.dumps(body).encode())


async def test_a_link_points_at_the_emulators_page_without_personal_data(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    body = {
        "levelName": "basic-kyc-level",
        "userId": "person@example.com",
        "ttlInSecs": 600,
        "applicantIdentifiers": {"email": "person@example.com", "phone": "+14155550100"},
    }
    response = await link(http, body)
    assert response.status_code == 200
    assert set(response.json()) == {"url"}
    url = urlsplit(response.json()["url"])
    assert f"{url.scheme}://{url.netloc}" == "http://sumsub.test"  # the origin the request went to
    assert url.path.startswith("/websdk/p/sbx_")
    assert not url.query
    token = url.path.removeprefix("/websdk/p/")
    assert len(token) >= 32
    for personal in ("person", "example", "4155550100", "basic-kyc-level"):
        assert personal not in response.json()["url"]
    kept = emulator.links.find(token)
    assert (kept.user_id, kept.level_name) == ("person@example.com", "basic-kyc-level")
    assert kept.identifiers == {"email": "person@example.com", "phone": "+14155550100"}
    second = (await link(http, body)).json()["url"]
    assert second != response.json()["url"]


async def test_a_public_url_is_used_when_configured(clock: FakeClock) -> None:
    emulator = Emulator(
        "sbx:test-app-token", "test-secret-key", clock=clock, public_url="https://emu.example/"
    )
    transport = httpx.ASGITransport(app=emulator)
    async with httpx.AsyncClient(transport=transport, base_url="http://sumsub.test") as http:
        url = (await link(http, {"levelName": "basic-kyc-level", "userId": "u"})).json()["url"]
    assert url.startswith("https://emu.example/websdk/p/sbx_")


async def test_the_legacy_external_user_id_field_is_taken(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    url = (await link(http, {"levelName": "basic-kyc-level", "externalUserId": "legacy"})).json()["url"]
    assert emulator.links.find(url.rsplit("/", 1)[1]).user_id == "legacy"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"levelName": "basic-kyc-level"}, 400),
        ({"userId": "u"}, 400),
        ({"userId": "u", "levelName": "nope"}, 404),
        ({"userId": "u", "levelName": "basic-kyc-level", "ttlInSecs": 0}, 400),
        ({"userId": "u", "levelName": "basic-kyc-level", "applicantIdentifiers": []}, 400),
        ({"userId": "u", "levelName": "basic-kyc-level", "applicantIdentifiers": {"email": 1}}, 400),
        ({"userId": ["u"], "levelName": "basic-kyc-level"}, 400),
    ],
)
async def test_bad_link_requests_are_refused(
    http: httpx.AsyncClient, body: dict[str, Any], status: int
) -> None:
    assert_sumsub_error(await link(http, body), status)


def test_links_live_their_ttl_then_are_expired_then_forgotten(clock: FakeClock) -> None:
    links = Links(clock)
    token = links.mint("u", "level", 60, {})
    clock.now += 60
    assert links.find(token).user_id == "u"
    clock.now += 1
    with pytest.raises(LinkExpired):
        links.find(token)
    with pytest.raises(KeyError):
        links.find("sbx_unknown")
    clock.now += 2 * 24 * 3600
    links.mint("v", "level", 60, {})  # minting sweeps links long expired
    with pytest.raises(KeyError):
        links.find(token)
