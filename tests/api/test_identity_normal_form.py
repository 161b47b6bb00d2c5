"""One person, one normal form: a share token whose SumSub applicant holds a name or date of birth
kycrail cannot read is refused, never imported as if SumSub had sent nothing; names compare on their
documented normal form (NFKC, case, accents, whitespace) without replacing the customer's own spelling;
and emails are one address whatever their Unicode form (kycrail issue 23, items 4 and 7b).

SumSub is the in-process emulator; each test plants a donor applicant holding the data it needs (a copy
of the seeded approved donor, with other names) and mints a share token for it, as a donor company would.
"""

from __future__ import annotations

import copy
import hashlib
import unicodedata

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.customers.tables import customers
from kycrail.storage import Storage
from tests.api.bodies import V2_INDIVIDUAL
from tests.api.calls import create, put, stored

JANE = {"firstName": "Jane", "lastName": "Smith", "birthDate": "1990-05-17"}
NO_DATE = object()  # the donor holds no date of birth


def donor(app: FastAPI, name: str, *, first: str, last: str, dob: object = "1990-05-17") -> str:
    """A share token for a new approved donor: the seeded one's person, with these names and date of
    birth in both ``info`` (the documents) and ``fixedInfo`` (what the person typed), as SumSub holds
    a person whose documents say so."""
    emulator = app.state.emulator
    seeded_id = emulator.applicant_id_for("sandbox-approved")
    applicant = copy.deepcopy(emulator.applicants[seeded_id])
    applicant_id = hashlib.sha256(name.encode()).hexdigest()[:24]
    applicant.update(id=applicant_id, externalUserId=f"donor-{name}")
    for source in ("info", "fixedInfo"):
        person = applicant[source]
        person.update(firstName=first, lastName=last, firstNameEn=first, lastNameEn=last)
        person.pop("middleName", None)
        person.pop("middleNameEn", None)
        if dob is NO_DATE:
            person.pop("dob", None)
        else:
            person["dob"] = dob
    emulator.applicants[applicant_id] = applicant
    emulator.required_id_docs_status[applicant_id] = copy.deepcopy(
        emulator.required_id_docs_status[seeded_id]
    )
    token: str = emulator.mint_share_token(f"donor-{name}")
    return token


async def _row_count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(customers)) or 0)


def _refused_as_another_person(response: httpx.Response, *, unreadable: str) -> None:
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["code"] == "customer_identity_mismatch"
    assert [error["pointer"] for error in body["errors"]] == ["/shareToken"]
    assert f"SumSub's applicant holds {unreadable} kycrail cannot read" in body["message"]
    assert "Mallory" not in response.text  # never the value
    assert "Evil" not in response.text


# --- item 4: a name that cannot be read is a refusal -------------------------------------------


RLM_NAME = {"first": "Mallory\u200f", "last": "Evil\u200f"}


@pytest.mark.parametrize("dob", ["1990-05-17", NO_DATE], ids=["same-date-of-birth", "no-date-of-birth"])
async def test_a_name_holding_a_right_to_left_mark_is_refused_and_nothing_changes(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, dob: object
) -> None:
    created = await create(client, headers, JANE)
    before = await stored(storage, created["id"])
    token = donor(app, "rlm", **RLM_NAME, dob=dob)
    response = await put(client, headers, created["id"], {"shareToken": token})
    _refused_as_another_person(response, unreadable="a first name and a last name")
    assert await stored(storage, created["id"]) == before
    assert (await client.get(f"/v1/customers/{created['id']}", headers=headers)).json() == created


async def test_an_unreadable_name_is_refused_even_where_the_customer_has_none(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    created = await create(client, headers)
    before = await stored(storage, created["id"])
    response = await put(client, headers, created["id"], {"shareToken": donor(app, "rlm", **RLM_NAME)})
    _refused_as_another_person(response, unreadable="a first name and a last name")
    assert await stored(storage, created["id"]) == before


async def test_a_date_of_birth_that_does_not_parse_is_refused(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    created = await create(client, headers, JANE)
    before = await stored(storage, created["id"])
    token = donor(app, "bad-date", first="Jane", last="Smith", dob="1990-02-30")
    response = await put(client, headers, created["id"], {"shareToken": token})
    _refused_as_another_person(response, unreadable="a date of birth")
    assert await stored(storage, created["id"]) == before


async def test_creating_with_a_token_for_an_unreadable_name_creates_nothing(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine
) -> None:
    before = await _row_count(engine)
    token = donor(app, "rlm", **RLM_NAME)
    response = await client.post("/v1/customers", json={**JANE, "shareToken": token}, headers=headers)
    _refused_as_another_person(response, unreadable="a first name and a last name")
    assert await _row_count(engine) == before


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("J\u0336a\u0336n\u0336e\u0336", "S\u0336m\u0336i\u0336t\u0336h\u0336"),  # strikethrough
        ("J\u0300\u0301\u0302a\u0303\u0304\u0305n\u0306e\u0307\u0308\u0309", "Smith"),  # zalgo
    ],
    ids=["strikethrough", "zalgo"],
)
async def test_a_name_with_marks_no_spelling_uses_is_refused(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, first: str, last: str
) -> None:
    created = await create(client, headers, JANE)
    before = await stored(storage, created["id"])
    response = await put(
        client, headers, created["id"], {"shareToken": donor(app, "marks", first=first, last=last)}
    )
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "customer_identity_mismatch"
    assert response.json()["errors"][0]["pointer"] == "/shareToken"
    assert await stored(storage, created["id"]) == before


async def test_a_client_cannot_declare_such_a_name_either(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    for name in ("J\u0336a\u0336n\u0336e\u0336", "J\u0300\u0301\u0302ane", "Jane\u20dd"):
        v1 = await client.post("/v1/customers", json={"firstName": name}, headers=headers)
        assert v1.status_code == 422, v1.text
        assert [error["pointer"] for error in v1.json()["errors"]] == ["/firstName"]


# --- item 4: one normal form, and the customer's own spelling kept ------------------------------


FULLWIDTH = {
    "first": "\uff2a\uff41\uff4e\uff45",
    "last": "\uff33\uff2d\uff29\uff34\uff28",
}  # "Jane SMITH" in fullwidth letters


async def test_a_fullwidth_spelling_of_the_same_name_is_imported_and_the_stored_name_kept(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers, JANE)
    response = await put(client, headers, created["id"], {"shareToken": donor(app, "wide", **FULLWIDTH)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "approved"
    assert (body["firstName"], body["lastName"], body["birthDate"]) == ("Jane", "Smith", "1990-05-17")
    sphere = (await client.get(f"/v2/customer/{created['id']}", headers=headers)).json()
    assert sphere["personalInformation"]["firstName"] == "Jane"


async def test_the_name_declared_in_the_same_request_is_kept(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers)
    token = donor(app, "wide", **FULLWIDTH)
    response = await put(client, headers, created["id"], {**JANE, "shareToken": token})
    assert response.status_code == 200, response.text
    assert (response.json()["firstName"], response.json()["lastName"]) == ("Jane", "Smith")
    # Creating with the token and the names: the same.
    own_contacts = {"email": "jane.smith@example.com", "phone": "+14155550199"}  # the donor's are taken now
    body = {**JANE, **own_contacts, "shareToken": donor(app, "wide-again", **FULLWIDTH)}
    again = await client.post("/v1/customers", json=body, headers=headers)
    assert again.status_code == 201, again.text
    assert (again.json()["firstName"], again.json()["lastName"]) == ("Jane", "Smith")


async def test_a_customer_without_a_name_takes_sumsubs(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers)
    response = await put(client, headers, created["id"], {"shareToken": donor(app, "wide", **FULLWIDTH)})
    assert response.status_code == 200, response.text
    assert (response.json()["firstName"], response.json()["lastName"]) == (
        FULLWIDTH["first"],
        FULLWIDTH["last"],
    )


# --- item 7b: emails compare on one normal form -------------------------------------------------

COMPOSED = "josé.x@example.com"
DECOMPOSED = "jose\u0301.x@example.com"


def test_the_two_spellings_are_one_address_in_two_forms() -> None:
    assert COMPOSED != DECOMPOSED
    assert unicodedata.normalize("NFC", DECOMPOSED) == COMPOSED


async def test_an_email_in_another_unicode_form_is_a_duplicate_in_both_dialects(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine
) -> None:
    first = await create(client, headers, {"email": COMPOSED})
    assert first["email"] == COMPOSED
    count = await _row_count(engine)
    v1 = await client.post("/v1/customers", json={"email": DECOMPOSED}, headers=headers)
    assert v1.status_code == 409, v1.text
    assert v1.json()["code"] == "customer_duplicate_contact"
    assert [error["pointer"] for error in v1.json()["errors"]] == ["/email"]
    v2 = await client.post("/v2/customer", json={**V2_INDIVIDUAL, "email": DECOMPOSED}, headers=headers)
    assert v2.status_code == 409, v2.text
    assert v2.json()["code"] == "customer/duplicate-contact"
    assert [error["pointer"] for error in v2.json()["errors"]] == ["/email"]
    assert await _row_count(engine) == count
    # Stored in one form whatever the form sent: a decomposed address reads composed.
    other = await create(client, headers, {"email": "zoe\u0308@example.com"})
    assert other["email"] == "zoë@example.com"


async def test_the_email_filter_finds_the_customer_whatever_the_form_asked(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    first = await create(client, headers, {"email": DECOMPOSED})
    for email in (COMPOSED, DECOMPOSED, "JOSE\u0301.X@example.com"):
        v2 = await client.get("/v2/customer", params={"email": email}, headers=headers)
        assert v2.status_code == 200, v2.text
        assert [customer["id"] for customer in v2.json()["customers"]] == [first["id"]], email
        v1 = await client.get("/v1/customers", params={"email": email}, headers=headers)
        assert [customer["id"] for customer in v1.json()["data"]] == [first["id"]], email


async def test_an_update_to_the_same_address_in_another_form_is_no_conflict(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    first = await create(client, headers, {"email": COMPOSED})
    response = await put(client, headers, first["id"], {"email": DECOMPOSED})
    assert response.status_code == 200, response.text
    assert response.json()["email"] == COMPOSED
