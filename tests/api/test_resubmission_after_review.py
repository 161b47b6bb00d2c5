"""A document a kycrail reviewer sends back after SumSub accepted it is supplied again through the
verification link (issue 24, item 6): SumSub's WebSDK takes no new submission on a step it approved, so
kycrail opens that step again (SumSub's resetStep) before it gives the link, once; what the person then
submits comes back by webhook, and SumSub's approval answers the reviewer's complaint. Through both
dialects' links, against the in-process emulator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kycrail.applicants import service as applicants
from kycrail.config import Settings
from kycrail.storage import Storage
from tests.api.calls import mint
from tests.api.test_sumsub_webhooks import SECRET
from tests.api.test_swipelux_requirements import HOME, TAX, Link
from tests.settings import settings_for

# What SumSub's steps hold for each criterion a reviewer sends back here.
STEP = {"identity_document": "IDENTITY", "liveness_report_document": "SELFIE"}
IN_REVIEW = {"v1": "under_review", "v2": "pending"}  # each dialect's word for a review running here


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The sandbox, taking SumSub's webhooks (signed with the secret `serve --sandbox` would make)."""
    return settings_for(database_url, sandbox=True, sumsub_webhook_secret=SECRET)


@pytest.fixture(autouse=True)
def webhooks_by_hand(app: FastAPI) -> None:
    """SumSub's webhooks are delivered by ``Link``, as they come, each once."""
    app.state.emulator.webhooks.config = None


async def put(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, body: dict[str, Any]
) -> None:
    answer = await client.put(f"/v1/customers/{customer_id}", json=body, headers=headers)
    assert answer.status_code == 200, answer.text


async def status_and_errors(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, dialect: str
) -> tuple[str, list[str]]:
    """The customer's status and the criteria in error, as the dialect reports them."""
    if dialect == "v2":
        profile = (await client.get(f"/v2/customer/{customer_id}", headers=headers)).json()[
            "verificationProfiles"
        ][0]
        return profile["status"], [error["name"] for error in profile["criteria"]["errors"]]
    v1 = (await client.get(f"/v1/customers/{customer_id}", headers=headers)).json()
    assert v1["requirements"]["missing"] == []
    return v1["status"], [error["name"] for error in v1["requirements"]["errors"]]


async def verified_through_the_link(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], dialect: str
) -> tuple[str, Link]:
    """A person verified by SumSub through the link before the platform gave its tax number: SumSub
    approved both documents, and with the tax number the review runs here."""
    customer_id = (await client.post("/v1/customers", json={}, headers=headers)).json()["id"]
    await put(client, headers, customer_id, {"email": "walker@example.com", "phone": "+14155550177"})
    await put(client, headers, customer_id, {"residentialAddress": HOME})
    link = Link(app, client, headers, customer_id, dialect)
    await link.submit_documents()
    await link.sumsub_decides("approve")
    await put(client, headers, customer_id, TAX)
    return customer_id, link


async def verified_by_a_share_token(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, dialect: str
) -> tuple[str, Link]:
    """A person SumSub verified elsewhere (the `partial` donor: no address, no tax number), imported;
    the worker has read the imported applicant since; with the rest supplied, the review runs here."""
    customer_id = (await client.post("/v1/customers", json={}, headers=headers)).json()["id"]
    token = await mint(client, headers, "partial")
    await put(client, headers, customer_id, {"shareToken": token, "phone": "+14155550177"})
    await applicants.reconcile_due(storage, app.state.resources.kyc_provider, every=timedelta(minutes=15))
    await put(client, headers, customer_id, {"residentialAddress": HOME, **TAX})
    return customer_id, Link(app, client, headers, customer_id, dialect)


async def send_back(
    client: httpx.AsyncClient, reviewer_headers: dict[str, str], customer_id: str, criterion: str
) -> None:
    reason = {"criterion": criterion, "message": "The photo is cut off: please take it again."}
    decision = {"decision": "rejected", "final": False, "reasons": [reason]}
    answer = await client.post(
        f"/ops/customers/{customer_id}/review", json=decision, headers=reviewer_headers
    )
    assert answer.status_code == 200, answer.text


def followed_applicant(app: FastAPI, customer_id: str) -> dict[str, Any]:
    """The applicant the customer's link opens (its SumSub external user id is the customer's id)."""
    emulator = app.state.emulator
    applicant: dict[str, Any] = emulator.applicants[emulator.applicant_id_for(customer_id)]
    return applicant


@pytest.mark.parametrize("dialect", ["v1", "v2"])
@pytest.mark.parametrize("criterion", sorted(STEP))
async def test_a_document_sumsub_accepted_and_a_reviewer_sent_back_is_supplied_again_through_the_link(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    dialect: str,
    criterion: str,
) -> None:
    customer_id, link = await verified_through_the_link(app, client, headers, dialect)
    assert await status_and_errors(client, headers, customer_id, dialect) == (IN_REVIEW[dialect], [])
    await send_back(client, reviewer_headers, customer_id, criterion)
    assert (await status_and_errors(client, headers, customer_id, dialect))[1] == [criterion]

    await link.submit_documents()  # the link's page takes the document again
    applicant = followed_applicant(app, customer_id)
    steps = app.state.emulator.required_id_docs_status[applicant["id"]]
    # Exactly the step sent back was opened again: the other one keeps SumSub's approval.
    (other,) = set(STEP.values()) - {STEP[criterion]}
    assert steps[other]["reviewResult"] == {"reviewAnswer": "GREEN"}
    assert steps[STEP[criterion]]["idDocType"] is not None
    assert "reviewResult" not in steps[STEP[criterion]]  # the new document awaits SumSub's review

    # Asking for the link again while SumSub reviews it opens nothing again: what was submitted stays.
    await link.page()
    assert steps[STEP[criterion]]["idDocType"] is not None
    assert applicant["review"]["reviewStatus"] == "pending"

    await link.sumsub_decides("approve")
    assert await status_and_errors(client, headers, customer_id, dialect) == ("approved", [])


@pytest.mark.parametrize("criterion", sorted(STEP))
async def test_an_imported_persons_document_sent_back_is_supplied_again_through_the_link(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    storage: Storage,
    criterion: str,
) -> None:
    """The link opens an applicant of the customer's own (the imported one is the donor's copy): it
    takes every document; the imported applicant is left as SumSub approved it."""
    customer_id, link = await verified_by_a_share_token(app, client, headers, storage, "v1")
    assert await status_and_errors(client, headers, customer_id, "v1") == ("under_review", [])
    await send_back(client, reviewer_headers, customer_id, criterion)

    await link.submit_documents()
    await link.sumsub_decides("approve")
    assert await status_and_errors(client, headers, customer_id, "v1") == ("approved", [])
    emulator = app.state.emulator
    (copy,) = [a for a in emulator.applicants.values() if str(a["externalUserId"]).startswith("copy-")]
    assert emulator.required_id_docs_status[copy["id"]][STEP[criterion]]["reviewResult"] == {
        "reviewAnswer": "GREEN"
    }


async def test_what_is_submitted_again_comes_back_by_reconciliation_when_webhooks_are_lost(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    storage: Storage,
) -> None:
    customer_id, link = await verified_through_the_link(app, client, headers, "v2")
    await send_back(client, reviewer_headers, customer_id, "identity_document")
    link.webhooks_lost = True
    provider = app.state.resources.kyc_provider

    await link.page()  # the step is opened again: kycrail follows the applicant as open again
    # Reading it back (opened, nothing submitted yet) answers nothing: the reviewer's complaint stands.
    assert await applicants.reconcile_due(storage, provider, every=timedelta(0)) == 1
    assert await status_and_errors(client, headers, customer_id, "v2") == (
        "incomplete",
        ["identity_document"],
    )

    await link.submit_documents()
    await link.sumsub_decides("approve")
    assert await status_and_errors(client, headers, customer_id, "v2") == (
        "incomplete",
        ["identity_document"],
    )
    assert await applicants.reconcile_due(storage, provider, every=timedelta(0)) == 1
    assert await status_and_errors(client, headers, customer_id, "v2") == ("approved", [])


async def test_a_field_sent_back_with_the_document_still_waits_for_the_platform(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    """SumSub's readings of the applicant the link reopened answer the document, not the email the
    reviewer sent back with it: SumSub holds the customer's own email, which is no new one."""
    customer_id, link = await verified_through_the_link(app, client, headers, "v1")
    reasons = [
        {"criterion": "email_address", "message": "This mailbox bounces."},
        {"criterion": "identity_document", "message": "The photo is cut off."},
    ]
    decision = {"decision": "rejected", "final": False, "reasons": reasons}
    answer = await client.post(
        f"/ops/customers/{customer_id}/review", json=decision, headers=reviewer_headers
    )
    assert answer.status_code == 200, answer.text

    await link.submit_documents()
    await link.sumsub_decides("approve")
    assert await status_and_errors(client, headers, customer_id, "v1") == ("incomplete", ["email_address"])
    await put(client, headers, customer_id, {"email": "walker.texas@example.com"})
    assert await status_and_errors(client, headers, customer_id, "v1") == ("under_review", [])


async def test_sumsub_down_while_opening_the_step_again_is_a_502_and_the_next_link_opens_it(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    customer_id, link = await verified_through_the_link(app, client, headers, "v2")
    await send_back(client, reviewer_headers, customer_id, "liveness_report_document")
    app.state.emulator.knobs.fail_with_5xx = 3  # the applicant's read fails, its retries too
    answer = await client.post(f"/v2/customer/{customer_id}/kyc-link", headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (502, "kyc-provider/unavailable")
    applicant = followed_applicant(app, customer_id)
    assert app.state.emulator.required_id_docs_status[applicant["id"]]["SELFIE"] is not None

    await link.submit_documents()  # SumSub is back: the next link opens the step, the page takes it
    await link.sumsub_decides("approve")
    assert await status_and_errors(client, headers, customer_id, "v2") == ("approved", [])
