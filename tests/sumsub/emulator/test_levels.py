"""Levels: the KYC and KYB levels, listed as SumSub lists them, with their document sets."""

from __future__ import annotations

import httpx

from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.emulator.levels import Levels
from tests.sumsub.emulator.calls import call


async def test_the_levels_endpoint_lists_both_levels(http: httpx.AsyncClient, emulator: Emulator) -> None:
    response = await call(http, "GET", "/resources/applicants/-/levels")
    assert response.status_code == 200
    listed = response.json()["list"]
    assert listed["totalItems"] == 2
    by_name = {item["name"]: item for item in listed["items"]}
    assert set(by_name) == {"basic-kyc-level", "basic-kyb-level"}
    kyc = by_name["basic-kyc-level"]
    assert kyc["applicantType"] == "individual"
    assert kyc["clientId"] == emulator.client_id
    assert [doc_set["idDocSetType"] for doc_set in kyc["requiredIdDocs"]["docSets"]] == ["IDENTITY", "SELFIE"]
    assert "PASSPORT" in kyc["requiredIdDocs"]["docSets"][0]["types"]
    assert by_name["basic-kyb-level"]["applicantType"] == "company"
    assert len({item["id"] for item in listed["items"]}) == 2


def test_the_answer_is_a_fresh_copy() -> None:
    levels = Levels()
    levels.answer("c")["list"]["items"][0]["requiredIdDocs"]["docSets"].clear()
    assert levels.answer("c")["list"]["items"][0]["requiredIdDocs"]["docSets"]
