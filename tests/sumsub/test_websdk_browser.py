"""The WebSDK page in a real browser (headless Chromium, Debian's, driven by Playwright): a person
fills the form with the sample document and submits it, a reviewer approves; the applicant is
completed+GREEN and the webhooks reached a receiver. The emulator runs as `kycrail sandbox sumsub`
with its webhook flags.

Skipped where /usr/bin/chromium is missing, unless KYCRAIL_REQUIRE_BROWSER is set (.ci/run sets it),
where that is a failure. The browser is never downloaded: `playwright install` is not used.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from kycrail.sumsub.emulator import webhooks
from tests.api.receiver import receiver
from tests.processes import free_port, running
from tests.sumsub.serving import signed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
APP_TOKEN = "sbx:browser-test-token"
SECRET = "browser-test-secret"
WEBHOOK_SECRET = "browser-webhook-secret"

pytestmark = pytest.mark.slow


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("KYCRAIL_REQUIRE_BROWSER"):
            pytest.fail(
                f"{CHROMIUM} is missing and KYCRAIL_REQUIRE_BROWSER is set (apt-get install chromium)"
            )
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    return CHROMIUM


def test_a_person_submits_and_a_reviewer_approves(chromium: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

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

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page()
                    page.goto(url)
                    status = page.locator("#status")
                    expect(status).to_have_attribute("data-review-status", "init")
                    page.fill("#firstName", "Grace")
                    page.fill("#lastName", "Hopper")
                    page.fill("#dob", "1986-12-09")
                    page.select_option("#idDocType", "ID_CARD")
                    page.click("#use-sample")
                    expect(page.locator("#chosen")).to_have_text("sample-document.png attached")
                    page.click("#submit")
                    expect(status).to_have_attribute("data-review-status", "pending")
                    page.fill("#comment", "Welcome aboard")
                    page.click("#approve")
                    expect(status).to_have_attribute("data-review-status", "completed")
                    expect(status).to_have_attribute("data-review-answer", "GREEN")
                    expect(page.locator("#moderation-comment")).to_have_text("Welcome aboard")
                finally:
                    browser.close()

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

            deadline = time.monotonic() + 10
            while len(hooks.requests) < 3:
                assert time.monotonic() < deadline, [r.body for r in hooks.requests]
                time.sleep(0.05)
    events = []
    for received in hooks.requests:
        assert received.headers["x-payload-digest"] == webhooks.digest(
            WEBHOOK_SECRET, received.body, "HMAC_SHA256_HEX"
        )
        events.append(json.loads(received.body))
    assert [event["type"] for event in events] == [
        "applicantCreated",
        "applicantPending",
        "applicantReviewed",
    ]
    assert {event["externalUserId"] for event in events} == {"browser-person"}
    assert events[-1]["reviewResult"]["reviewAnswer"] == "GREEN"
