"""Failure injection: latency, 5xx answers and garbled bodies, set over the signed knobs endpoint."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from tests.sumsub.emulator.calls import assert_sumsub_error, call, reuse


async def test_5xx_knob_fails_the_next_requests(http: httpx.AsyncClient, emulator: Emulator) -> None:
    emulator.knobs.fail_with_5xx = 2
    first = await call(http, "GET", "/resources/status/api")
    second = await call(http, "GET", "/resources/status/api")
    third = await call(http, "GET", "/resources/status/api")
    assert (first.status_code, second.status_code, third.status_code) == (503, 500, 200)
    assert_sumsub_error(first, 503)


async def test_an_import_failed_by_the_5xx_knob_leaves_the_token_usable(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    token = emulator.mint_share_token("sandbox-approved")
    emulator.knobs.fail_with_5xx = 1
    assert (await reuse(http, token)).status_code == 503
    assert (await reuse(http, token)).status_code == 200


async def test_malformed_knob_answers_200_with_a_body_that_is_not_json(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    emulator.knobs.malformed_bodies = 1
    response = await call(http, "GET", "/resources/status/api")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert (await call(http, "GET", "/resources/status/api")).json() == {"status": "ok"}


async def test_latency_knob_sleeps_without_blocking_the_loop(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    emulator.knobs.latency_seconds = 0.3
    started = time.perf_counter()
    responses = await asyncio.gather(*(call(http, "GET", "/resources/status/api") for _ in range(3)))
    elapsed = time.perf_counter() - started
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert 0.3 <= elapsed < 0.8  # three concurrent sleeps, not three in a row


async def test_knobs_endpoint_sets_the_knobs_and_is_signed(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    body = json.dumps(
        {"fail_with_5xx": 1, "malformed_bodies": 2, "latency_seconds": 0, "webhook_delay_scale": 0.001}
    ).encode()
    unsigned = await call(http, "POST", "/_sandbox/knobs", body, headers={})
    assert_sumsub_error(unsigned, 401, 4000)
    response = await call(http, "POST", "/_sandbox/knobs", body)
    assert response.status_code == 200
    assert response.json() == {
        "latency_seconds": 0.0,
        "fail_with_5xx": 1,
        "malformed_bodies": 2,
        "webhook_delay_scale": 0.001,
    }
    assert (emulator.knobs.fail_with_5xx, emulator.knobs.malformed_bodies) == (1, 2)
    # The knobs endpoint itself is never failed by them, so they can always be reset.
    reset = await call(
        http, "POST", "/_sandbox/knobs", json.dumps({"fail_with_5xx": 0, "malformed_bodies": 0}).encode()
    )
    assert reset.status_code == 200
    assert (await call(http, "GET", "/resources/status/api")).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"fail_with_5xx": -1}, {"malformed_bodies": 1.5}, {"latency_seconds": "x"}, {"webhook_delay_scale": -1}],
)
async def test_knobs_endpoint_refuses_bad_values(http: httpx.AsyncClient, body: dict[str, Any]) -> None:
    assert_sumsub_error(await call(http, "POST", "/_sandbox/knobs", json.dumps(body).encode()), 400)


async def test_outages_alternate_503_and_500_across_settings(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    statuses = []
    for _ in range(3):
        emulator.knobs.fail_with_5xx = 1
        statuses.append((await call(http, "GET", "/resources/status/api")).status_code)
    assert statuses == [503, 500, 503]
