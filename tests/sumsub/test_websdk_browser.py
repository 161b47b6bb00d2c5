"""The WebSDK page in a real browser (headless Chromium, Debian's, driven by Playwright): a person
fills the form with the sample document and submits it, a reviewer approves; the applicant is
completed+GREEN and the webhooks reached a receiver. The emulator runs as `kycrail sandbox sumsub`
with its webhook flags.

Skipped where /usr/bin/chromium is missing, unless KYCRAIL_REQUIRE_BROWSER is set (.ci/run sets it),
where that is a failure. The browser is never downloaded: `playwright install` is not used.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.api.receiver import receiver
from tests.browser import browser_page, submit_as_a_person
from tests.processes import free_port, running
from tests.sumsub.serving import signed, verified_events
from tests.waiting import eventually_sync

APP_TOKEN = "sbx:browser-test-token"
SECRET = "browser-test-secret"
WEBHOOK_SECRET = "browser-webhook-secret"

pytestmark = pytest.mark.slow


def test_a_person_submits_and_a_reviewer_approves(chromium: Path) -> None:
    from playwright.sync_api import expect

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {"KYCRAIL_SUMSUB_APP_TOKEN": APP_TOKEN, "KYCRAIL_SUMSUB_SECRET_KEY": SECRET}
    with receiver() as hooks:
        args = [
            "sandbox",
            "sumsub",
            "--port",
            str(port),
            "--webhook-url",
            hooks.url,
            "--webhook-secret",
            WEBHOOK_SECRET,
        ]
        with running(args, env, f"{base_url}/resources/status/api"):
            body = json.dumps({"levelName": "basic-kyc-level", "userId": "browser-person", "ttlInSecs": 600})
            link = signed(
                base_url,
                APP_TOKEN,
                SECRET,
                "POST",
                "/resources/sdkIntegrations/levels/-/websdkLink",
                body.encode(),
            )
            assert link.status_code == 200, link.text
            url = link.json()["url"]
            assert url.startswith(f"{base_url}/websdk/p/")

            with browser_page(chromium) as page:
                status = submit_as_a_person(page, url, document="ID_CARD")
                page.fill("#comment", "Welcome aboard")
                page.click("#approve")
                expect(status).to_have_attribute("data-review-status", "completed")
                expect(status).to_have_attribute("data-review-answer", "GREEN")
                expect(page.locator("#moderation-comment")).to_have_text("Welcome aboard")

            target = f"/resources/applicants/{quote('-;externalUserId=browser-person')}/one"
            applicant = signed(base_url, APP_TOKEN, SECRET, "GET", target).json()
            assert applicant["review"]["reviewStatus"] == "completed"
            assert applicant["review"]["reviewResult"]["reviewAnswer"] == "GREEN"
            assert applicant["fixedInfo"] == {"firstName": "Grace", "lastName": "Hopper", "dob": "1986-12-09"}
            assert applicant["info"]["idDocs"] == [
                {"idDocType": "ID_CARD", "country": "USA"},
                {"idDocType": "SELFIE", "country": "USA"},
            ]
            steps_target = f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus"
            steps = signed(base_url, APP_TOKEN, SECRET, "GET", steps_target).json()
            assert steps["IDENTITY"]["reviewResult"]["reviewAnswer"] == "GREEN"
            assert len(steps["IDENTITY"]["imageIds"]) == 1

            eventually_sync(
                lambda: len(hooks.requests) >= 3, 10, describe=lambda: [r.body for r in hooks.requests]
            )
    events = verified_events(hooks.requests, WEBHOOK_SECRET)
    assert [event["type"] for event in events] == [
        "applicantCreated",
        "applicantPending",
        "applicantReviewed",
    ]
    assert {event["externalUserId"] for event in events} == {"browser-person"}
    assert events[-1]["reviewResult"]["reviewAnswer"] == "GREEN"
