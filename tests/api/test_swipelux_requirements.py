"""v1 customers say what is missing: ``requirements {missing, errors}``, from the criteria of v2's profile."""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI

from kycrail.config import Settings
from kycrail.customers.model import CustomerType
from kycrail.customers.verification import profile_criteria_names
from tests.api import documents
from tests.api.test_kyc_decisions import pending_emily
from tests.api.test_sumsub_webhooks import SECRET, signed
from tests.factories import jane
from tests.settings import settings_for


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The sandbox, taking SumSub's webhooks (signed with the secret `serve --sandbox` would make)."""
    return settings_for(database_url, sandbox=True, sumsub_webhook_secret=SECRET)


async def read_both(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The customer in v1's shape, and its v2 profile's criteria."""
    v1 = (await client.get(f"/v1/customers/{customer_id}", headers=headers)).json()
    v2 = (await client.get(f"/v2/customer/{customer_id}", headers=headers)).json()
    return v1, v2["verificationProfiles"][0]["criteria"]


async def test_a_new_customer_is_told_everything_it_still_needs(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = (await client.post("/v1/customers", json={}, headers=headers)).json()
    assert created["status"] == "not_started"
    v1, criteria = await read_both(client, headers, created["id"])
    assert v1["requirements"] == {
        "missing": criteria["required"],
        "pending": criteria["pending"],
        "errors": [],
    }
    assert "residential_address" in v1["requirements"]["missing"]
    assert created["requirements"] == v1["requirements"]  # every answer carries it, the create's too


async def test_what_is_supplied_leaves_the_list_and_a_reviewers_message_shows(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    partial = jane(email="partial@example.com", phone="+14155550188")
    customer_id = (await client.post("/v2/customer", json=partial, headers=headers)).json()["id"]
    v1, criteria = await read_both(client, headers, customer_id)
    assert "residential_address" not in v1["requirements"]["missing"]
    assert v1["requirements"]["missing"] == criteria["required"] != []

    customer_id = await pending_emily(client, headers)  # everything supplied: the review runs
    v1, _ = await read_both(client, headers, customer_id)
    assert v1["requirements"] == {
        "missing": [],
        "pending": ["identity_document", "liveness_report_document"],
        "errors": [],
    }
    reason = {"criterion": "residential_address", "message": "Blurry proof."}
    decision = {"decision": "rejected", "final": False, "reasons": [reason]}
    sent_back = await client.post(
        f"/ops/customers/{customer_id}/review", json=decision, headers=reviewer_headers
    )
    assert sent_back.status_code == 200, sent_back.text
    v1, criteria = await read_both(client, headers, customer_id)
    assert v1["requirements"]["errors"] == [{"name": "residential_address", "message": "Blurry proof."}]
    assert v1["requirements"]["errors"] == criteria["errors"]


# --- every requirement v1 reports can be met through v1 or the verification link (issue 24, item 6) ---

HOME = {"streetLine1": "1 Elm St", "city": "Austin", "state": "TX", "postalCode": "73301", "country": "USA"}
TAX = {"taxId": "536-22-1234", "taxIdType": "ssn", "taxIdCountry": "USA"}
# Each field criterion, and the v1 fields that supply it (the tax identification: kycrail's extension).
THROUGH_V1 = {
    "email_address": {"email": "walker@example.com"},
    "phone_number": {"phone": "+14155550177"},
    "residential_address": {"residentialAddress": HOME},
    "tax_identification_number": TAX,
}
# The documents: SumSub's WebSDK, through the verification link (the emulator's page, as a person uses it).
THROUGH_THE_LINK = ("identity_document", "liveness_report_document")


_photos = itertools.count(1)  # a new photo each time: SumSub refuses the same file twice


class Link:
    """A customer's verification link (``/v1/customers/{id}/kyc``, or ``/v2/customer/{id}/kyc-link``), its
    page used as a person and SumSub's reviewer use it; SumSub's webhooks delivered as SumSub sends them
    (signed, to /webhooks/sumsub), each once."""

    def __init__(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        headers: dict[str, str],
        customer_id: str,
        dialect: str = "v1",
    ) -> None:
        self.app, self.client, self.headers, self.customer_id = app, client, headers, customer_id
        self.dialect = dialect
        self.delivered = len(app.state.emulator.webhooks.emitted)
        self.webhooks_lost = False  # True: SumSub's webhooks never arrive (reconciliation heals that)

    async def page(self) -> str:
        """A fresh link, asked for as a platform does; its path (served by kycrail under /sandbox/sumsub)."""
        if self.dialect == "v2":
            answer = await self.client.post(f"/v2/customer/{self.customer_id}/kyc-link", headers=self.headers)
            url_field = "url"
        else:
            answer = await self.client.post(f"/v1/customers/{self.customer_id}/kyc", headers=self.headers)
            url_field = "verificationUrl"
        assert answer.status_code == 200, answer.text
        return urlsplit(answer.json()[url_field]).path

    async def _post(self, page: str, action: str, **form: str | bytes) -> None:
        files = {
            name: (("doc.png", value, "image/png") if isinstance(value, bytes) else (None, value))
            for name, value in form.items()
        }
        answer = await self.client.post(f"{page}/{action}", files=files)
        assert answer.status_code == 303, answer.text
        await self._deliver()

    async def _deliver(self) -> None:
        emitted = self.app.state.emulator.webhooks.emitted
        for event in [] if self.webhooks_lost else emitted[self.delivered :]:
            body, signature = signed(event)
            answer = await self.client.post("/webhooks/sumsub", content=body, headers=signature)
            assert answer.status_code == 200, answer.text
        self.delivered = len(emitted)

    async def submit_documents(self) -> None:
        """What the page asks for, as a person gives it: a name, a date of birth and the identity
        document where it asks for them (the liveness step passes on its own, in the sandbox)."""
        page = await self.page()
        shown = (await self.client.get(page)).text
        assert 'id="submit-form"' in shown, "the verification link's page takes no new submission"
        if 'name="idDocType"' in shown:
            person = {"firstName": "Walker", "lastName": "Texas", "dob": "1980-03-04"}
            await self._post(
                page,
                "submit",
                **person,
                idDocType="PASSPORT",
                country="USA",
                content=documents.png(next(_photos)),
            )
        else:
            await self._post(page, "submit", liveness="passed")

    async def sumsub_decides(self, decision: str) -> None:
        await self._post(await self.page(), "review", decision=decision, comment="")


async def _requirements(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> dict[str, Any]:
    requirements: dict[str, Any] = (await read_both(client, headers, customer_id))[0]["requirements"]
    return requirements


async def _supply(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, criterion: str
) -> None:
    answer = await client.put(f"/v1/customers/{customer_id}", json=THROUGH_V1[criterion], headers=headers)
    assert answer.status_code == 200, answer.text


async def test_every_requirement_v1_reports_can_be_met_through_v1_or_the_verification_link(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    app.state.emulator.webhooks.config = None  # SumSub's webhooks: delivered by the test, as they come
    criteria = set(profile_criteria_names(CustomerType.individual))
    assert set(THROUGH_V1) | set(THROUGH_THE_LINK) == criteria  # a new criterion needs its way here
    customer_id = (await client.post("/v1/customers", json={}, headers=headers)).json()["id"]
    link = Link(app, client, headers, customer_id)

    # What is missing, one at a time, as v1 reports it: the documents first (SumSub asks for a sharper
    # photo, then accepts them), then each field; once nothing is missing, the review runs here.
    met: set[str] = set()
    while missing := (await _requirements(client, headers, customer_id))["missing"]:
        criterion = missing[-1]
        if criterion in THROUGH_V1:
            await _supply(client, headers, customer_id, criterion)
        else:
            await _documents_through_the_link(client, headers, customer_id, link)
        still = (await _requirements(client, headers, customer_id))["missing"]
        assert criterion not in still
        met |= set(missing) - set(still)
    assert met == criteria
    assert (await read_both(client, headers, customer_id))[0]["status"] == "under_review"

    # What a reviewer sends back, as v1 reports it: the fields, supplied again through v1; the documents
    # SumSub had accepted, again through the link (kycrail opens SumSub's steps again for them).
    reasons = [
        {"criterion": name, "message": f"Check your {name}."}
        for name in profile_criteria_names(CustomerType.individual)
    ]
    sent_back = await client.post(
        f"/ops/customers/{customer_id}/review",
        json={"decision": "rejected", "final": False, "reasons": reasons},
        headers=reviewer_headers,
    )
    assert sent_back.status_code == 200, sent_back.text
    errors = (await _requirements(client, headers, customer_id))["errors"]
    assert [error["name"] for error in errors] == [reason["criterion"] for reason in reasons]
    for error in errors:
        if error["name"] in THROUGH_V1:
            await _supply(client, headers, customer_id, error["name"])
            remaining = (await _requirements(client, headers, customer_id))["errors"]
            assert error["name"] not in [other["name"] for other in remaining]
    await link.submit_documents()  # both documents again: they await SumSub's review
    await link.sumsub_decides("approve")
    final = (await read_both(client, headers, customer_id))[0]
    assert (final["status"], final["requirements"]) == (
        "approved",
        {"missing": [], "pending": [], "errors": []},
    )


async def _documents_through_the_link(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, link: Link
) -> None:
    """Both documents at once; SumSub sends the identity document back (a blurry photo), the person
    gives it again through the link, and SumSub accepts both."""
    await link.submit_documents()
    await link.sumsub_decides("retry")
    errors = (await _requirements(client, headers, customer_id))["errors"]
    assert [error["name"] for error in errors] == ["identity_document"]
    await link.submit_documents()
    await link.sumsub_decides("approve")
    assert (await _requirements(client, headers, customer_id))["errors"] == []
