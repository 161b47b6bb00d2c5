"""Decisions in the console: through the same lifecycle as the API, on the version the page showed,
named after the person, with four eyes on a final rejection; documents read back and audited; one
tenant's operators never see another's customers (kycrail/console/customer.py, kycrail/reviews/)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kycrail.operators.model import OperatorRole
from kycrail.storage import Storage
from tests.api.test_kyc_decisions import pending_emily, status, v2
from tests.conftest import KeyFactory
from tests.console.desk import Console, enrolled

Browsers = Callable[[], Console]
NOTE = "Internal: called the bank, the statement looks edited"


@pytest.fixture
async def headers(make_key: KeyFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {await make_key('acme')}"}


async def signed_in(
    browsers: Browsers, storage: Storage, email: str, role: OperatorRole = OperatorRole.reviewer
) -> Console:
    browser = browsers()
    assert (await browser.sign_in(await enrolled(storage, email, role))).status_code == 303
    return browser


async def events(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> list[dict[str, Any]]:
    answer = await client.get(f"/v2/customer/{customer_id}/events", headers=headers)
    assert answer.status_code == 200
    found: list[dict[str, Any]] = answer.json()["events"]
    return found


async def test_an_approval_goes_through_the_lifecycle_and_names_the_operator(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending_emily(client, headers)
    rita = await signed_in(browsers, storage, "rita@acme.example")
    page = await rita.get(f"/console/customers/{customer_id}")
    assert page.status_code == 200
    assert "Emily" in page.text
    decided = await rita.post(
        f"/console/customers/{customer_id}/decide",
        {"choice": "approve", "version": page.text.split('name="version" value="')[1].split('"')[0]},
    )
    assert decided.status_code == 303
    assert status(await v2(client, headers, customer_id)) == "approved"
    reviewed = [
        event for event in await events(client, headers, customer_id) if event["type"] == "customer.reviewed"
    ]
    assert reviewed[-1]["actor"]["keyPrefix"] == "console"
    assert reviewed[-1]["actor"]["operatorId"].startswith("op_")
    trail = (await rita.get(f"/console/customers/{customer_id}")).text
    assert "rita@acme.example" in trail.split('data-testid="trail"')[1]


def version_on(page: str) -> str:
    return page.split('name="version" value="')[1].split('"')[0]


async def test_a_decision_on_a_page_out_of_date_is_refused_and_shows_the_fresh_state(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending_emily(client, headers)
    rita = await signed_in(browsers, storage, "rita@acme.example")
    sam = await signed_in(browsers, storage, "sam@acme.example")
    rita_page = (await rita.get(f"/console/customers/{customer_id}")).text
    sam_page = (await sam.get(f"/console/customers/{customer_id}")).text
    assert (
        await sam.post(
            f"/console/customers/{customer_id}/decide", {"choice": "approve", "version": version_on(sam_page)}
        )
    ).status_code == 303
    rita.page = rita_page  # her form, as she opened it
    late = await rita.post(
        f"/console/customers/{customer_id}/decide",
        {
            "choice": "send_back",
            "version": version_on(rita_page),
            "criterion": "identity_document",
            "reason.identity_document": "blurry",
        },
    )
    assert late.status_code == 409
    assert "changed since you opened it" in late.text
    assert 'data-testid="status">approved<' in late.text
    assert status(await v2(client, headers, customer_id)) == "approved"


async def test_a_final_rejection_waits_for_a_second_operator_who_is_not_the_proposer(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending_emily(client, headers)
    rita = await signed_in(browsers, storage, "rita@acme.example")
    page = (await rita.get(f"/console/customers/{customer_id}")).text
    proposed = await rita.post(
        f"/console/customers/{customer_id}/decide",
        {
            "choice": "reject",
            "version": version_on(page),
            "criterion": "identity_document",
            "reason.identity_document": "Forged",
            "note": NOTE,
        },
    )
    assert proposed.status_code == 303
    assert status(await v2(client, headers, customer_id)) == "pending"  # nothing yet
    shown = (await rita.get(f"/console/customers/{customer_id}")).text
    assert "Awaiting second review" in shown
    assert "rita@acme.example" in shown.split('data-testid="proposal"')[1]
    own = await rita.post(f"/console/customers/{customer_id}/proposal", {"answer": "confirm"})
    assert own.status_code == 403
    assert status(await v2(client, headers, customer_id)) == "pending"
    sam_person = await enrolled(storage, "sam@acme.example")
    sam = browsers()
    await sam.sign_in(sam_person)
    confirmed = await sam.post(
        f"/console/customers/{customer_id}/proposal",
        {"answer": "confirm"},
        token_from=f"/console/customers/{customer_id}",
    )
    assert confirmed.status_code == 303
    assert status(await v2(client, headers, customer_id)) == "rejected"
    trail = await events(client, headers, customer_id)
    reviewed = [event for event in trail if event["type"] == "customer.reviewed"]
    assert [event["actor"]["operatorId"] for event in reviewed] == [sam_person.operator.id]
    (proposal,) = [event for event in trail if event["type"] == "review.proposed"]
    assert proposal["actor"]["operatorId"] != sam_person.operator.id  # Rita's, on the record
    assert proposal["changes"] == [
        {"field": "decision", "from": None, "to": "reject"},
        {"field": "criteria", "from": None, "to": ["identity_document"]},
    ]
    after = (await sam.get(f"/console/customers/{customer_id}")).text
    assert "Awaiting second review" not in after
    assert NOTE in after  # the proposer's note, kept


async def test_the_internal_note_never_leaves_the_console(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers, app: FastAPI
) -> None:
    customer_id = await pending_emily(client, headers)
    rita = await signed_in(browsers, storage, "rita@acme.example")
    page = (await rita.get(f"/console/customers/{customer_id}")).text
    sent_back = await rita.post(
        f"/console/customers/{customer_id}/decide",
        {
            "choice": "send_back",
            "version": version_on(page),
            "criterion": "identity_document",
            "reason.identity_document": "The photo is blurry",
            "note": NOTE,
        },
    )
    assert sent_back.status_code == 303
    body = await v2(client, headers, customer_id)
    assert status(body) == "incomplete"
    assert "The photo is blurry" in str(body)  # what the customer is told
    for answer in (
        body,
        await events(client, headers, customer_id),
        (await client.get(f"/v1/customers/{customer_id}", headers=headers)).json(),
    ):
        assert "edited" not in str(answer)
    assert NOTE in (await rita.get(f"/console/customers/{customer_id}")).text


async def test_viewing_a_document_is_audited_and_never_cached(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending_emily(client, headers)
    rita = await signed_in(browsers, storage, "rita@acme.example")
    page = (await rita.get(f"/console/customers/{customer_id}")).text
    document_id = page.split(f"/console/customers/{customer_id}/documents/")[1].split('"')[0]
    viewed = await rita.http.get(f"/console/customers/{customer_id}/documents/{document_id}")
    assert viewed.status_code == 200
    assert viewed.headers["cache-control"] == "no-store"
    assert viewed.content.startswith(b"\x89PNG")
    assert viewed.headers["content-type"] == "image/png"
    views = [
        event for event in await events(client, headers, customer_id) if event["type"] == "document.viewed"
    ]
    assert len(views) == 1
    assert views[0]["changes"] == [{"field": "document", "from": None, "to": document_id}]
    assert views[0]["actor"]["operatorId"].startswith("op_")


async def test_another_tenants_customer_is_404_to_see_decide_or_read(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending_emily(client, headers)
    document_id = (
        (await v2(client, headers, customer_id))["documents"][0]["id"]
        if "documents" in await v2(client, headers, customer_id)
        else "document_x"
    )
    other = browsers()
    assert (
        await other.sign_in(await enrolled(storage, "eve@other.example", tenant="other"))
    ).status_code == 303
    assert (await other.get(f"/console/customers/{customer_id}")).status_code == 404
    assert (
        await other.http.get(f"/console/customers/{customer_id}/documents/{document_id}")
    ).status_code == 404
    refused = await other.post(
        f"/console/customers/{customer_id}/decide",
        {"choice": "approve", "version": "3"},
        token_from="/console/queue",
    )
    assert refused.status_code == 404
    assert (
        await other.post(f"/console/customers/{customer_id}/take", {}, token_from="/console/queue")
    ).status_code == 404
    assert customer_id not in (await other.get("/console/queue?status=all")).text
    assert status(await v2(client, headers, customer_id)) == "pending"


async def test_only_an_admin_erases_and_only_after_typing_the_id(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending_emily(client, headers)
    rita = await signed_in(browsers, storage, "rita@acme.example")
    page = (await rita.get(f"/console/customers/{customer_id}")).text
    assert 'data-testid="erase"' not in page
    refused = await rita.post(
        f"/console/customers/{customer_id}/decide",
        {"choice": "erase", "version": version_on(page), "confirm_id": customer_id},
    )
    assert refused.status_code == 403
    ada = await signed_in(browsers, storage, "ada@acme.example", OperatorRole.admin)
    page = (await ada.get(f"/console/customers/{customer_id}")).text
    untyped = await ada.post(
        f"/console/customers/{customer_id}/decide",
        {"choice": "erase", "version": version_on(page), "confirm_id": "customer_wrong"},
    )
    assert untyped.status_code == 400
    assert (await client.get(f"/v2/customer/{customer_id}", headers=headers)).status_code == 200
    erased = await ada.post(
        f"/console/customers/{customer_id}/decide",
        {"choice": "erase", "version": version_on(page), "confirm_id": customer_id},
    )
    assert erased.status_code == 303
    assert (await client.get(f"/v2/customer/{customer_id}", headers=headers)).status_code == 404
    kinds = [event["type"] for event in await events(client, headers, customer_id)]
    assert kinds[-1] == "customer.erased"


async def test_a_hostile_name_renders_as_text(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    created = await client.post(
        "/v2/customer",
        json={
            "type": "business",
            "email": "evil@example.com",
            "phone": "+14155550199",
            "businessInformation": {"legalName": hostile},
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    customer_id = created.json()["id"]
    rita = await signed_in(browsers, storage, "rita@acme.example")
    for path in (f"/console/customers/{customer_id}", "/console/queue?status=all"):
        html = (await rita.get(path)).text
        assert hostile not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


async def test_only_an_admin_reopens_a_final_rejection(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending_emily(client, headers)
    rita = await signed_in(browsers, storage, "rita@acme.example")
    page = (await rita.get(f"/console/customers/{customer_id}")).text
    await rita.post(
        f"/console/customers/{customer_id}/decide",
        {
            "choice": "reject",
            "version": version_on(page),
            "criterion": "identity_document",
            "reason.identity_document": "Forged",
        },
    )
    ada = await signed_in(browsers, storage, "ada@acme.example", OperatorRole.admin)
    await ada.post(
        f"/console/customers/{customer_id}/proposal",
        {"answer": "confirm"},
        token_from=f"/console/customers/{customer_id}",
    )
    assert status(await v2(client, headers, customer_id)) == "rejected"
    version = version_on((await ada.get(f"/console/customers/{customer_id}")).text)
    page = (await rita.get(f"/console/customers/{customer_id}")).text
    assert 'data-testid="reopen"' not in page
    refused = await rita.post(
        f"/console/customers/{customer_id}/decide", {"choice": "reopen", "version": version}
    )
    assert refused.status_code == 403
    assert status(await v2(client, headers, customer_id)) == "rejected"
    page = (await ada.get(f"/console/customers/{customer_id}")).text
    reopened = await ada.post(
        f"/console/customers/{customer_id}/decide", {"choice": "reopen", "version": version_on(page)}
    )
    assert reopened.status_code == 303
    # As through the API: the rejected document is asked for again.
    assert status(await v2(client, headers, customer_id)) == "incomplete"
    reopened_events = [
        e for e in await events(client, headers, customer_id) if e["type"] == "customer.reopened"
    ]
    assert reopened_events[0]["actor"]["operatorId"].startswith("op_")


async def test_a_withdrawn_proposal_is_on_the_record_and_changes_nothing(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending_emily(client, headers)
    rita = await signed_in(browsers, storage, "rita@acme.example")
    page = (await rita.get(f"/console/customers/{customer_id}")).text
    reject = {"choice": "reject", "version": version_on(page), "criterion": "identity_document"}
    await rita.post(f"/console/customers/{customer_id}/decide", reject)
    sam = await signed_in(browsers, storage, "sam@acme.example")
    withdrawn = await sam.post(
        f"/console/customers/{customer_id}/proposal",
        {"answer": "withdraw"},
        token_from=f"/console/customers/{customer_id}",
    )
    assert withdrawn.headers["location"].endswith("?done=withdrawn")
    assert status(await v2(client, headers, customer_id)) == "pending"
    kinds = [event["type"] for event in await events(client, headers, customer_id)]
    assert kinds[-2:] == ["review.proposed", "review.withdrawn"]
    assert "Awaiting second review" not in (await rita.get(f"/console/customers/{customer_id}")).text


async def test_a_decision_takes_the_customer_off_the_desk(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending_emily(client, headers)
    rita = await signed_in(browsers, storage, "rita@acme.example")
    await rita.post(f"/console/customers/{customer_id}/take", {}, token_from="/console/queue")
    page = (await rita.get(f"/console/customers/{customer_id}")).text
    assert "Taken by rita@acme.example" in page
    await rita.post(
        f"/console/customers/{customer_id}/decide", {"choice": "approve", "version": version_on(page)}
    )
    after = (await rita.get(f"/console/customers/{customer_id}")).text
    assert "Not taken." in after
    assert "approved by rita@acme.example" in after
