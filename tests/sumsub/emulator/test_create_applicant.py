"""Creating an applicant: SumSub's applicant object, its level's documents, a fresh review, 409 on a
duplicate external user id."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from tests.sumsub.emulator.calls import assert_sumsub_error, call

TIME_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
HEX_ID = re.compile(r"[0-9a-f]{24}")


async def create(
    http: httpx.AsyncClient, body: dict[str, Any] | bytes, level: str | None = "basic-kyc-level"
) -> httpx.Response:
    target = "/resources/applicants" + (f"?levelName={level}" if level is not None else "")
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await call(http, "POST", target, raw)


async def test_create_answers_201_with_the_applicant(http: httpx.AsyncClient, emulator: Emulator) -> None:
    body = {
        "externalUserId": "user-1",
        "email": "ann@example.com",
        "phone": "+14155550100",
        "fixedInfo": {"firstName": "Ann", "lastName": "Lee", "dob": "1990-01-02", "country": "USA"},
        "type": "individual",
    }
    response = await create(http, body)
    assert response.status_code == 201
    applicant = response.json()
    assert HEX_ID.fullmatch(applicant["id"])
    assert HEX_ID.fullmatch(applicant["inspectionId"])
    assert TIME_SHAPE.fullmatch(applicant["createdAt"])
    assert applicant["clientId"] == emulator.client_id
    assert (applicant["externalUserId"], applicant["email"], applicant["phone"]) == (
        "user-1",
        "ann@example.com",
        "+14155550100",
    )
    assert applicant["fixedInfo"] == body["fixedInfo"]
    assert applicant["info"]["firstNameEn"] == "Ann"
    assert (applicant["type"], applicant["lang"]) == ("individual", "en")
    assert applicant["requiredIdDocs"]["docSets"][0]["idDocSetType"] == "IDENTITY"
    review = applicant["review"]
    assert re.fullmatch(r"[A-Za-z]{5}", review["reviewId"])
    assert re.fullmatch(r"[A-Za-z]{5}", review["attemptId"])
    assert (review["attemptCnt"], review["priority"], review["reviewStatus"]) == (0, 0, "init")
    assert review["levelName"] == "basic-kyc-level"
    assert TIME_SHAPE.fullmatch(review["createDate"].removesuffix("+0000"))
    # Stored as answered, and found both ways.
    assert (await call(http, "GET", f"/resources/applicants/{applicant['id']}/one")).json() == applicant
    by_external = await call(http, "GET", "/resources/applicants/-;externalUserId=user-1/one")
    assert by_external.json()["id"] == applicant["id"]
    assert (await call(http, "GET", f"/resources/applicants/{applicant['id']}/status")).json() == review
    steps = await call(http, "GET", f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus")
    assert steps.json() == {"IDENTITY": None, "SELFIE": None}


async def test_a_duplicate_external_user_id_is_409_naming_the_applicant(http: httpx.AsyncClient) -> None:
    first = (await create(http, {"externalUserId": "twice"})).json()
    body = assert_sumsub_error(await create(http, {"externalUserId": "twice"}), 409)
    assert first["id"] in body["description"]
    # A seeded donor's external user id is taken too.
    assert_sumsub_error(await create(http, {"externalUserId": "sandbox-approved"}), 409)


async def test_the_kyb_level_takes_companies_only(http: httpx.AsyncClient) -> None:
    company = await create(http, {"externalUserId": "acme", "type": "company"}, level="basic-kyb-level")
    assert company.status_code == 201
    assert company.json()["requiredIdDocs"]["docSets"] == [
        {"idDocSetType": "COMPANY", "types": ["COMPANY_DOC"]}
    ]
    assert company.json()["review"]["levelName"] == "basic-kyb-level"
    assert_sumsub_error(await create(http, {"externalUserId": "bob"}, level="basic-kyb-level"), 400)
    assert_sumsub_error(await create(http, {"externalUserId": "inc", "type": "company"}), 400)


async def test_a_missing_external_user_id_is_made_up(http: httpx.AsyncClient) -> None:
    first = (await create(http, {})).json()
    second = (await create(http, {})).json()
    assert first["externalUserId"]
    assert first["externalUserId"] != second["externalUserId"]


async def test_level_names_are_configurable() -> None:
    emulator = Emulator("t", "s", kyc_level="my-kyc", kyb_level="my-kyb")
    assert emulator.levels.named("my-kyc").applicant_type == "individual"
    assert emulator.levels.named("my-kyb").applicant_type == "company"
    with pytest.raises(ValueError, match="different names"):
        Emulator("t", "s", kyc_level="same", kyb_level="same")


@pytest.mark.parametrize(
    ("level", "body", "status"),
    [
        (None, {"externalUserId": "a"}, 400),
        ("no-such-level", {"externalUserId": "a"}, 404),
        ("basic-kyc-level", b"not json", 400),
        ("basic-kyc-level", b"[]", 400),
        ("basic-kyc-level", {"externalUserId": 5}, 400),
        ("basic-kyc-level", {"externalUserId": "a" * 2000}, 400),
        ("basic-kyc-level", {"type": "robot"}, 400),
        ("basic-kyc-level", {"email": ["a@b.c"]}, 400),
        ("basic-kyc-level", {"fixedInfo": "Ann"}, 400),
        ("basic-kyc-level", {"fixedInfo": {"dob": "02/01/1990"}}, 400),
        ("basic-kyc-level", {"fixedInfo": {"dob": "1990-02-30"}}, 400),
        ("basic-kyc-level", {"fixedInfo": {"country": "US"}}, 400),
        ("basic-kyc-level", {"fixedInfo": {"firstName": {"a": 1}}}, 400),
        ("basic-kyc-level", {"fixedInfo": {"addresses": {"town": "x"}}}, 400),
        ("basic-kyc-level", {"fixedInfo": {"addresses": ["x"]}}, 400),
        ("basic-kyc-level", {"fixedInfo": {"addresses": [{"town": "x" * 20000}]}}, 400),
    ],
)
async def test_hostile_requests_are_refused_in_sumsubs_shape(
    http: httpx.AsyncClient, emulator: Emulator, level: str | None, body: Any, status: int
) -> None:
    before = len(emulator.applicants)
    assert_sumsub_error(await create(http, body, level=level), status)
    assert len(emulator.applicants) == before


async def test_nested_fixed_info_is_kept_as_given(http: httpx.AsyncClient) -> None:
    address = {"country": "USA", "town": "Austin", "postCode": "73301"}
    created = await create(http, {"fixedInfo": {"addresses": [address], "idDocs": []}})
    assert created.json()["fixedInfo"] == {"addresses": [address], "idDocs": []}
