"""The KYC lifecycle end to end, as a user runs it (issue 14): `kycrail serve --sandbox` as a real
process, real HTTP. A customer gets a verification link; the person opens it in a real browser
(headless Chromium, Debian's, through Playwright), enters name and date of birth, attaches the sample
document and submits; the emulator's applicantPending webhook reaches kycrail, which reads the
applicant and puts the customer in review; a reviewer approves on the same page; applicantReviewed
makes the customer approved, seen in both dialects. Nothing in between is called by the test.

Skipped where /usr/bin/chromium is missing, unless KYCRAIL_REQUIRE_BROWSER is set (.ci/run sets it).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.browser import browser_page, submit_as_a_person
from tests.processes import free_port, running
from tests.waiting import eventually_sync

pytestmark = pytest.mark.slow


def test_link_page_pending_webhook_approved_in_both_dialects(database_url: str, chromium: Path) -> None:
    from playwright.sync_api import expect

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = ["serve", "--sandbox", "--port", str(port)]
    with running(args, {"KYCRAIL_DATABASE_URL": database_url}, f"{base}/healthz") as printed:
        key = next((line.strip() for line in printed if line.startswith("kr_")), None)
        if key is None:  # a database an earlier test made the sandbox tenant in: a key of its own
            pytest.skip("the sandbox tenant existed already; its key was printed then")
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=base, headers=headers, timeout=10) as api:
            # What the platform knows; the person gives name, date of birth and documents to SumSub.
            platform = {
                "type": "individual",
                "email": "grace@example.com",
                "phone": "+14155550142",
                "address": {
                    "line1": "1 Navy Way",
                    "city": "Arlington",
                    "state": "VA",
                    "postalCode": "22202",
                    "country": "USA",
                },
                "personalInformation": {
                    "taxIdentificationNumber": "123-45-6789",
                    "taxIdentificationNumberType": "ssn",
                    "taxIdentificationNumberCountry": "USA",
                },
            }
            created = api.post("/v2/customer", json=platform)
            assert created.status_code == 201, created.text
            customer_id = created.json()["id"]
            link = api.post(f"/v1/customers/{customer_id}/kyc")
            assert link.status_code == 200, link.text
            url = link.json()["verificationUrl"]
            assert url.startswith(f"{base}/sandbox/sumsub/websdk/p/")

            def v1_status() -> str:
                return str(api.get(f"/v1/customers/{customer_id}").json()["status"])

            def v2_status() -> str:
                return str(api.get(f"/v2/customer/{customer_id}").json()["verificationProfiles"][0]["status"])

            with browser_page(chromium) as page:
                status = submit_as_a_person(page, url, document="PASSPORT")
                # applicantPending reached kycrail, which read the applicant: in review, with
                # what SumSub holds (name, date of birth, its documents) taken over.
                eventually_sync(lambda: v1_status() == "under_review", 15, describe=v1_status)
                assert v2_status() == "pending"
                v1 = api.get(f"/v1/customers/{customer_id}").json()
                taken_over = (v1["firstName"], v1["lastName"], v1["birthDate"])
                assert taken_over == ("Grace", "Hopper", "1986-12-09")
                page.click("#approve")
                expect(status).to_have_attribute("data-review-answer", "GREEN")

            eventually_sync(lambda: v1_status() == "approved", 15, describe=v1_status)
            assert v2_status() == "approved"
            kinds = [e["type"] for e in api.get(f"/v2/customer/{customer_id}/events").json()["events"]]
            assert "customer.verification_started" in kinds
            assert kinds.count("customer.provider_updated") >= 2  # pending, then approved
