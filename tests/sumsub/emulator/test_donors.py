"""The seeded donors: stable ids, and the people and outcomes the docs promise."""

from __future__ import annotations

import re

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.emulator.donors import seeded_donors
from tests.sumsub.emulator.calls import ID_SHAPE, call


async def test_seeded_donor_ids_are_stable_and_shaped_like_sumsubs(emulator: Emulator) -> None:
    other = Emulator("t", "s")
    for name in ("approved", "partial", "rejected-final", "rejected-retry", "pending"):
        applicant_id = emulator.applicant_id_for(f"sandbox-{name}")
        assert ID_SHAPE.fullmatch(applicant_id)
        assert other.applicant_id_for(f"sandbox-{name}") == applicant_id
    assert len({emulator.applicant_id_for(f"sandbox-{n}") for n in ("approved", "partial", "pending")}) == 3


async def test_the_approved_donor_is_complete(http: httpx.AsyncClient) -> None:
    response = await call(http, "GET", "/resources/applicants/-;externalUserId=sandbox-approved/one")
    applicant = response.json()
    info = applicant["info"]
    assert (info["firstName"], info["lastName"], info["dob"]) == ("Emily", "Carter", "1990-04-12")
    assert (info["country"], info["nationality"]) == ("USA", "USA")
    assert re.fullmatch(r"\d{3}-\d{2}-\d{4}", info["tin"])
    assert info["addresses"][0]["state"] == "CA"
    assert re.fullmatch(r"\d{5}", info["addresses"][0]["postCode"])
    assert info["idDocs"][0]["idDocType"] == "PASSPORT"
    assert info["idDocs"][0]["number"]
    assert applicant["email"]
    assert applicant["phone"].startswith("+1")
    assert applicant["review"]["reviewStatus"] == "completed"
    assert applicant["review"]["reviewResult"]["reviewAnswer"] == "GREEN"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", applicant["createdAt"])


async def test_the_partial_donor_is_another_person_without_address_or_tin(http: httpx.AsyncClient) -> None:
    approved = (await call(http, "GET", "/resources/applicants/-;externalUserId=sandbox-approved/one")).json()
    partial = (await call(http, "GET", "/resources/applicants/-;externalUserId=sandbox-partial/one")).json()
    assert partial["info"]["lastName"] != approved["info"]["lastName"]
    assert partial["info"]["dob"] != approved["info"]["dob"]
    assert "addresses" not in partial["info"]
    assert "tin" not in partial["info"]
    assert "tin" not in partial["fixedInfo"]
    assert partial["review"]["reviewResult"]["reviewAnswer"] == "GREEN"
    steps = (await call(http, "GET", f"/resources/applicants/{partial['id']}/requiredIdDocsStatus")).json()
    assert steps["IDENTITY"]["idDocType"] == "ID_CARD"
    assert steps["IDENTITY"]["reviewResult"]["reviewAnswer"] == "GREEN"
    assert steps["SELFIE"]["reviewResult"]["reviewAnswer"] == "GREEN"


@pytest.mark.parametrize(
    ("donor", "status", "answer", "reject_type"),
    [
        ("sandbox-rejected-final", "completed", "RED", "FINAL"),
        ("sandbox-rejected-retry", "completed", "RED", "RETRY"),
        ("sandbox-pending", "pending", None, None),
    ],
)
async def test_the_other_donors_reviews(
    http: httpx.AsyncClient,
    emulator: Emulator,
    donor: str,
    status: str,
    answer: str | None,
    reject_type: str | None,
) -> None:
    review = (
        await call(http, "GET", f"/resources/applicants/{emulator.applicant_id_for(donor)}/status")
    ).json()
    assert review["reviewStatus"] == status
    result = review.get("reviewResult") or {}
    assert result.get("reviewAnswer") == answer
    assert result.get("reviewRejectType") == reject_type
    if answer == "RED":
        assert result["rejectLabels"]
        assert result["moderationComment"]


def test_seeded_donors_are_fresh_copies() -> None:
    first, _ = seeded_donors()[0]
    first["info"]["firstName"] = "Changed"
    assert seeded_donors()[0][0]["info"]["firstName"] == "Emily"
