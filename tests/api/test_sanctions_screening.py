"""Sanctions screening in the customer's lifecycle: a customer named as a list entry is held back by an
open hit until a reviewer resolves it, whichever way its name came (a create, a PATCH or PUT, an import);
the hit explains itself to a reviewer and to no one else; what a reviewer cleared stays cleared for that
entry as it stands (kycrail/screening/, customers/service.py, api/ops/screening.py)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.customers.verification import SANCTIONS_SCREENING
from kycrail.outbox.tables import outbox_events
from kycrail.screening.tables import screening_hits
from kycrail.storage import Storage
from tests.api.calls import create, mint, put
from tests.api.test_kyc_decisions import EMILY, address_and_tax, pending_emily, review, status, v2
from tests.factories import jane
from tests.screening.listed import EMILY_LISTED, SOMEONE_ELSE, load

APPROVE = {"decision": "approved"}


def criteria(body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = body["verificationProfiles"][0]["criteria"]
    return found


async def screening(client: httpx.AsyncClient, headers: dict[str, str], customer_id: str) -> dict[str, Any]:
    response = await client.get(f"/ops/customers/{customer_id}/screening", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def resolve(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, hit_id: str, resolution: str
) -> httpx.Response:
    return await client.post(
        f"/ops/customers/{customer_id}/screening/{hit_id}",
        json={"resolution": resolution, "reason": "Checked against the passport on file."},
        headers=headers,
    )


async def test_a_customer_named_as_a_list_entry_cannot_be_approved_until_a_reviewer_clears_the_hit(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str], storage: Storage
) -> None:
    await load(storage, EMILY_LISTED, SOMEONE_ELSE)
    customer_id = await pending_emily(client, headers)
    body = await v2(client, headers, customer_id)
    assert SANCTIONS_SCREENING in criteria(body)["pending"]
    assert status(body) == "pending"

    refused = await review(client, reviewer_headers, customer_id, APPROVE)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "customer/sanctions-hit-open"
    assert status(await v2(client, headers, customer_id)) == "pending"  # nothing written

    found = await screening(client, reviewer_headers, customer_id)
    assert found["openHits"] == 1
    [hit] = found["hits"]
    assert (hit["list"], hit["entryId"], hit["listedName"], hit["status"]) == (
        "ofac_sdn",
        "90001",
        "CARTER, Emily Rose",
        "open",
    )
    assert hit["score"] >= 0.85
    assert {t["customer"] for t in hit["tokens"]} >= {"emily", "carter"}
    assert any(a["factor"] == "birth_date" and a["delta"] > 0 for a in hit["adjustments"])

    cleared = await resolve(client, reviewer_headers, customer_id, hit["id"], "false_positive")
    assert cleared.status_code == 200, cleared.text
    assert (cleared.json()["status"], cleared.json()["reason"]) == (
        "false_positive",
        "Checked against the passport on file.",
    )
    assert SANCTIONS_SCREENING not in criteria(await v2(client, headers, customer_id))["pending"]
    approved = await review(client, reviewer_headers, customer_id, APPROVE)
    assert approved.status_code == 200, approved.text
    assert status(approved.json()) == "approved"


async def test_a_true_match_is_a_final_rejection_and_a_hit_is_resolved_once(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str], storage: Storage
) -> None:
    await load(storage, EMILY_LISTED)
    customer_id = await pending_emily(client, headers)
    [hit] = (await screening(client, reviewer_headers, customer_id))["hits"]
    matched = await resolve(client, reviewer_headers, customer_id, hit["id"], "true_match")
    assert matched.status_code == 200, matched.text
    body = await v2(client, headers, customer_id)
    assert status(body) == "rejected"
    again = await resolve(client, reviewer_headers, customer_id, hit["id"], "false_positive")
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "screening/hit-already-resolved"
    assert status(await v2(client, headers, customer_id)) == "rejected"
    events = (await client.get(f"/v2/customer/{customer_id}/events", headers=headers)).json()["events"]
    kinds = [event["type"] for event in events]
    assert "customer.screening_hit" in kinds
    assert kinds[-1] == "customer.reviewed"


async def test_a_name_supplied_later_is_screened_in_both_dialects(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    await load(storage, EMILY_LISTED)
    # v1: created with {}, named by a PUT
    created = await create(client, headers)
    assert created["requirements"]["pending"] == []
    named = await put(
        client,
        headers,
        created["id"],
        {"firstName": "Emily", "lastName": "Carter", "birthDate": "1990-04-12"},
    )
    assert named.status_code == 200, named.text
    assert SANCTIONS_SCREENING in named.json()["requirements"]["pending"]
    # v2: created without personal information, named by a PATCH
    sphere = await client.post("/v2/customer", json=jane(email="e2@example.com"), headers=headers)
    assert sphere.status_code == 201, sphere.text
    assert SANCTIONS_SCREENING not in criteria(sphere.json())["pending"]
    patched = await client.patch(
        f"/v2/customer/{sphere.json()['id']}",
        json={
            "address": address_and_tax("536-22-1234")["address"],
            "personalInformation": {"firstName": "Emily", "lastName": "Carter", "dateOfBirth": "1990-04-12"},
        },
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    assert SANCTIONS_SCREENING in criteria(patched.json())["pending"]
    # A PATCH that changes nothing screened raises nothing again: still one hit each.
    again = await client.patch(
        f"/v2/customer/{sphere.json()['id']}", json={"meta": {"a": 1}}, headers=headers
    )
    assert again.status_code == 200, again.text
    async with storage.engine.connect() as connection:
        rows = (await connection.execute(select(screening_hits.c.customer_id))).all()
    assert sorted(row.customer_id for row in rows) == sorted([created["id"], sphere.json()["id"]])


async def test_an_import_of_a_listed_person_is_not_approved(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    """SumSub approved the applicant; the name it brings is on a list: held for a reviewer."""
    await load(storage, EMILY_LISTED)
    created = await create(client, headers, {"shareToken": await mint(client, headers)})
    assert created["lastName"] == "Carter"
    assert created["status"] == "under_review"
    assert SANCTIONS_SCREENING in created["requirements"]["pending"]
    sphere = await v2(client, headers, created["id"])
    assert status(sphere) == "pending"


async def test_no_lists_no_hits_and_a_name_not_listed_raises_nothing(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str], storage: Storage
) -> None:
    customer_id = await pending_emily(client, headers)  # no list loaded yet
    assert (await screening(client, reviewer_headers, customer_id))["hits"] == []
    await load(storage, SOMEONE_ELSE)
    other = await client.post(
        "/v2/customer",
        json=jane(
            email="x@example.com",
            phone="+14155550177",
            personalInformation={**EMILY, "firstName": "Emilia", "lastName": "Hart"},
        ),
        headers=headers,
    )
    assert other.status_code == 201, other.text
    assert SANCTIONS_SCREENING not in criteria(other.json())["pending"]


async def test_hits_are_a_reviewers_and_a_tenants_own(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    other_headers: dict[str, str],
    reviewer_headers: dict[str, str],
    storage: Storage,
    make_key: Any,
) -> None:
    await load(storage, EMILY_LISTED)
    customer_id = await pending_emily(client, headers)
    [hit] = (await screening(client, reviewer_headers, customer_id))["hits"]
    path = f"/ops/customers/{customer_id}/screening"
    assert (await client.get(path, headers=headers)).status_code == 403  # an api key
    from kycrail.tenants.keys import Role

    globex_reviewer = {"Authorization": f"Bearer {await make_key('globex', Role.reviewer)}"}
    assert (await client.get(path, headers=globex_reviewer)).status_code == 404
    assert (
        await resolve(client, globex_reviewer, customer_id, hit["id"], "false_positive")
    ).status_code == 404
    unknown = await resolve(client, reviewer_headers, customer_id, "hit_" + "0" * 32, "false_positive")
    assert unknown.status_code == 404
    malformed = await resolve(client, reviewer_headers, customer_id, "../../etc", "false_positive")
    assert malformed.status_code == 404
    bad = await client.post(
        f"{path}/{hit['id']}", json={"resolution": "maybe", "reason": "x"}, headers=reviewer_headers
    )
    assert bad.status_code == 422, bad.text
    assert bad.json()["errors"][0]["pointer"] == "/resolution"
    assert (await screening(client, reviewer_headers, customer_id))["hits"][0]["status"] == "open"


async def test_a_hit_record_holds_no_plaintext_of_the_customer(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, engine: AsyncEngine
) -> None:
    await load(storage, EMILY_LISTED)
    await pending_emily(client, headers)
    async with engine.connect() as connection:
        rows = [dict(row._mapping) for row in await connection.execute(select(screening_hits))]
    assert len(rows) == 1
    stored = repr(rows).lower()
    # The listed name is the list's (public); the customer's own tokens and birth date are sealed.
    assert "1990-04-12" not in stored
    assert b"emily" not in bytes(rows[0]["explanation"]).lower()
    assert rows[0]["listed_name"] == "CARTER, Emily Rose"


async def test_erasure_takes_the_hits_with_it(
    client: httpx.AsyncClient, headers: dict[str, str], admin_headers: dict[str, str], storage: Storage
) -> None:
    await load(storage, EMILY_LISTED)
    customer_id = await pending_emily(client, headers)
    erased = await client.post(f"/ops/customers/{customer_id}/erase", headers=admin_headers)
    assert erased.status_code == 204, erased.text
    async with storage.engine.connect() as connection:
        assert (await connection.execute(select(screening_hits.c.id))).first() is None


async def test_the_hit_is_an_outgoing_event_in_each_dialect(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    await load(storage, EMILY_LISTED)
    customer_id = await pending_emily(client, headers)
    async with storage.engine.connect() as connection:
        kinds = [
            row.kind
            for row in await connection.execute(
                select(outbox_events.c.kind)
                .where(outbox_events.c.customer_id == customer_id)
                .order_by(outbox_events.c.id)
            )
        ]
    assert kinds[:2] == ["customer.created", "customer.screening_hit"]
