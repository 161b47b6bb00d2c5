"""The router: one endpoint a path and a method, matched on the raw path; SumSub's 404 otherwise."""

from __future__ import annotations

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from tests.sumsub.emulator.calls import assert_sumsub_error, call


async def test_unknown_applicant_and_route_answer_404(http: httpx.AsyncClient) -> None:
    assert_sumsub_error(await call(http, "GET", f"/resources/applicants/{'f' * 24}/one"), 404)
    assert_sumsub_error(await call(http, "GET", "/resources/applicants/-;externalUserId=nobody/one"), 404)
    assert_sumsub_error(await call(http, "GET", "/resources/nothing-here"), 404)


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("POST", "/resources/status/api"),
        ("HEAD", "/resources/status/api"),  # Starlette would answer HEAD on a GET route
        ("GET", "/_sandbox/knobs"),
        ("GET", "/resources/accessTokens/shareToken"),
    ],
)
async def test_another_method_is_an_unknown_endpoint(
    http: httpx.AsyncClient, method: str, target: str
) -> None:
    response = await call(http, method, target)
    assert response.status_code == 404
    if method != "HEAD":
        assert_sumsub_error(response, 404)


async def test_a_trailing_slash_is_not_redirected(http: httpx.AsyncClient) -> None:
    assert_sumsub_error(await call(http, "GET", "/resources/status/api/"), 404)


async def test_an_encoded_slash_stays_inside_its_segment(http: httpx.AsyncClient, emulator: Emulator) -> None:
    donor = emulator.applicants[emulator.applicant_id_for("sandbox-approved")]
    emulator.applicants["a/b"] = {**donor, "id": "a/b", "externalUserId": "x/y;z=1"}
    emulator.required_id_docs_status["a/b"] = {}
    assert (await call(http, "GET", "/resources/applicants/a%2Fb/one")).json()["id"] == "a/b"
    assert (await call(http, "GET", "/resources/applicants/a%2Fb/requiredIdDocsStatus")).json() == {}
    assert_sumsub_error(await call(http, "GET", "/resources/applicants/a/b/one"), 404)
    by_external_id = await call(http, "GET", "/resources/applicants/-;externalUserId=x%2Fy%3Bz%3D1/one")
    assert by_external_id.json()["id"] == "a/b"


async def test_a_malformed_body_is_refused_in_sumsubs_shape(http: httpx.AsyncClient) -> None:
    for body in (b"not json", b"[1, 2]"):
        assert_sumsub_error(await call(http, "POST", "/_sandbox/knobs", body), 400)


async def test_a_bug_in_a_handler_is_still_answered_in_sumsubs_shape(
    http: httpx.AsyncClient, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(ref: str) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(emulator, "applicant", broken)
    assert_sumsub_error(await call(http, "GET", "/resources/applicants/x/one"), 500)
