"""Levels: the KYC and KYB levels (and one asking for a proof of address too), listed as SumSub lists
them, with their document sets; moving an applicant to another level (``moveToLevel``)."""

from __future__ import annotations

import copy

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.emulator.levels import Levels
from tests.api.documents import png
from tests.sumsub.emulator.calls import call


async def test_the_levels_endpoint_lists_every_level(http: httpx.AsyncClient, emulator: Emulator) -> None:
    response = await call(http, "GET", "/resources/applicants/-/levels")
    assert response.status_code == 200
    listed = response.json()["list"]
    assert listed["totalItems"] == 3
    by_name = {item["name"]: item for item in listed["items"]}
    assert set(by_name) == {"basic-kyc-level", "basic-kyb-level", "address-kyc-level"}
    kyc = by_name["basic-kyc-level"]
    assert kyc["applicantType"] == "individual"
    assert kyc["clientId"] == emulator.client_id
    assert [doc_set["idDocSetType"] for doc_set in kyc["requiredIdDocs"]["docSets"]] == ["IDENTITY", "SELFIE"]
    assert "PASSPORT" in kyc["requiredIdDocs"]["docSets"][0]["types"]
    assert by_name["basic-kyb-level"]["applicantType"] == "company"
    address = by_name["address-kyc-level"]["requiredIdDocs"]["docSets"]
    assert [doc_set["idDocSetType"] for doc_set in address] == ["IDENTITY", "SELFIE", "PROOF_OF_RESIDENCE"]
    assert len({item["id"] for item in listed["items"]}) == 3


def test_the_answer_is_a_fresh_copy() -> None:
    levels = Levels()
    levels.answer("c")["list"]["items"][0]["requiredIdDocs"]["docSets"].clear()
    assert levels.answer("c")["list"]["items"][0]["requiredIdDocs"]["docSets"]


async def test_an_applicant_moves_to_another_level_keeping_what_is_on_file(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    applicant = emulator.create_applicant(
        {"externalUserId": "mover", "type": "individual"}, "basic-kyc-level"
    )
    emulator.add_document(applicant["id"], {"idDocType": "PASSPORT", "country": "USA"}, png(31))
    moved = await call(
        http, "POST", f"/resources/applicants/{applicant['id']}/moveToLevel?name=address-kyc-level"
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["review"]["levelName"] == "address-kyc-level"
    steps = emulator.required_id_docs_status[applicant["id"]]
    assert set(steps) == {"IDENTITY", "SELFIE", "PROOF_OF_RESIDENCE"}
    assert steps["IDENTITY"]["idDocType"] == "PASSPORT"  # the passport on file still counts
    assert steps["PROOF_OF_RESIDENCE"] is None  # asked for now
    back = await call(
        http, "POST", f"/resources/applicants/{applicant['id']}/moveToLevel?name=basic-kyc-level"
    )
    assert back.status_code == 200
    assert set(emulator.required_id_docs_status[applicant["id"]]) == {"IDENTITY", "SELFIE"}


@pytest.mark.parametrize(
    ("name", "status"),
    [("basic-kyb-level", 400), ("no-such-level", 404), ("", 400)],
)
async def test_a_move_to_a_level_it_cannot_take_is_refused_and_changes_nothing(
    http: httpx.AsyncClient, emulator: Emulator, name: str, status: int
) -> None:
    applicant = emulator.create_applicant(
        {"externalUserId": "stayer", "type": "individual"}, "basic-kyc-level"
    )
    before = copy.deepcopy(applicant)
    refused = await call(http, "POST", f"/resources/applicants/{applicant['id']}/moveToLevel?name={name}")
    assert refused.status_code == status
    assert refused.json()["code"] == status
    assert emulator.applicants[applicant["id"]] == before


async def test_no_move_while_the_applicant_is_being_reviewed(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    applicant = emulator.create_applicant(
        {"externalUserId": "waiter", "type": "individual"}, "basic-kyc-level"
    )
    emulator.add_document(applicant["id"], {"idDocType": "PASSPORT", "country": "USA"}, png(32))
    emulator.submit(applicant["id"])
    path = f"/resources/applicants/{applicant['id']}/moveToLevel?name=address-kyc-level"
    assert (await call(http, "POST", path)).status_code == 400
    emulator.hold(applicant["id"])
    assert (await call(http, "POST", path)).status_code == 400
    assert applicant["review"]["levelName"] == "basic-kyc-level"
