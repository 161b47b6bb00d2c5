"""The reviewer console in a real browser (headless Chromium, Debian's, through Playwright) against
`kycrail serve --sandbox` as a real process, with four eyes on: operators made with the CLI enrol
through their links (password and authenticator code), sign in, work the queue, read a customer's
documents, send criteria back and reject for good (a second operator confirms); a hostile name stays
text; a form without its CSRF token changes nothing; another tenant's operator sees nothing; signing out
ends the session. Every page visited is saved as a full-page screenshot (KYCRAIL_SCREENSHOTS, default
build/screenshots, in console/).

Skipped where /usr/bin/chromium is missing, unless KYCRAIL_REQUIRE_BROWSER is set (.ci/run sets it).
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pyotp
import pytest

from tests.api import documents
from tests.api.test_kyc_decisions import EMILY
from tests.browser import CHROMIUM_ARGS
from tests.factories import jane
from tests.processes import KYCRAIL, free_port, key_env, running

# The lists' test files in OFAC's own format (tests/screening/sources/files/): 90001 is "EXAMPLE, John Paul".
OFAC_FILES = Path(__file__).parents[1] / "screening" / "sources" / "files" / "ofac"

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery staple 7"
HOSTILE = "<img src=x onerror=alert(1)>"
REASON = "The passport photo is blurred: please upload a sharper one"
NOTE = "Internal: the photo looks like a photocopy"
FORGED = "The document is forged"


def screenshots() -> Path:
    directory = Path(os.environ.get("KYCRAIL_SCREENSHOTS", "build/screenshots")) / "console"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=screenshots() / f"{name}.png", full_page=True)


# --- what the test sets up through the CLI and the API ---------------------------------------------------


def kycrail(database_url: str, *args: str) -> str:
    """Runs a kycrail command on the server's database; its stdout."""
    done = subprocess.run(
        [str(KYCRAIL), *args],
        env={**os.environ, "KYCRAIL_DATABASE_URL": database_url, **key_env(database_url)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"kycrail {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def operator_link(database_url: str, base: str, email: str, tenant: str, role: str) -> str:
    """Creates an operator with the CLI; the enrolment link it prints."""
    printed = kycrail(
        database_url, "operators", "create", email, "--tenant", tenant, "--role", role, "--url", base
    )
    lines = printed.splitlines()
    assert lines[0].startswith(f"created {role} {email}"), printed
    assert lines[1].startswith("enrolment link"), printed
    assert lines[2].startswith(f"{base}/console/enrol?token="), printed
    return lines[2].strip()


def passport_picture(width: int = 240, height: int = 150) -> bytes:
    """A PNG the size of a small photo (pale blue, a photo-shaped block and lines of "text"), so that
    the page shows something a reviewer would recognise as a document."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    def pixel(x: int, y: int) -> bytes:
        if 16 <= x < 76 and 24 <= y < 104:
            return b"\x8a\x9b\xb0"  # the photo
        if 92 <= x < width - 16 and (y - 30) % 18 < 6 and 30 <= y < 120:
            return b"\x5a\x6a\x80"  # a line of text
        return b"\xdc\xe8\xf4"

    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def upload(api: httpx.Client, customer_id: str, document_type: str, content: bytes, kind: str) -> None:
    """tests/api/calls.py's upload, blocking."""
    data = {"target": "customer", "targetId": customer_id, "documentType": document_type, "country": "USA"}
    files = {"file": (f"{document_type}.{kind.split('/')[1]}", content, kind)}
    response = api.post("/v2/document", data=data, files=files)
    assert response.status_code == 201, response.text


def profile_status(api: httpx.Client, customer_id: str) -> str:
    response = api.get(f"/v2/customer/{customer_id}")
    assert response.status_code == 200, response.text
    found: str = response.json()["verificationProfiles"][0]["status"]
    return found


def version(api: httpx.Client, customer_id: str) -> int:
    """The customer's version, as its ETag says."""
    response = api.get(f"/v2/customer/{customer_id}")
    assert response.status_code == 200, response.text
    return int(response.headers["etag"].strip('"'))


def pending(api: httpx.Client, first_name: str, number: int) -> str:
    """An individual with everything supplied (as tests/api/test_kyc_decisions.py's pending_emily):
    their review is pending."""
    body = jane(
        email=f"{first_name.lower()}@example.com",
        phone=f"+1415555017{number}",
        personalInformation={
            **EMILY,
            "firstName": first_name,
            "taxIdentificationNumber": f"536-22-123{number}",
        },
    )
    created = api.post("/v2/customer", json=body)
    assert created.status_code == 201, created.text
    customer_id: str = created.json()["id"]
    upload(api, customer_id, "passport", passport_picture(), "image/png")
    upload(api, customer_id, "liveness_report", documents.pdf(), "application/pdf")
    assert profile_status(api, customer_id) == "pending"
    return customer_id


def hostile_business(api: httpx.Client) -> str:
    body = {
        "type": "business",
        "email": "ops@hostile.example.com",
        "phone": "+14155550189",
        "businessInformation": {"legalName": HOSTILE, "incorporationCountry": "USA"},
    }
    created = api.post("/v2/customer", json=body)
    assert created.status_code == 201, created.text
    customer_id: str = created.json()["id"]
    return customer_id


# --- people at the console ----------------------------------------------------------------------------


@dataclass
class Operator:
    """An operator, their browser (a context of its own: its own cookies) and their authenticator."""

    email: str
    context: BrowserContext
    page: Page
    secret: str = ""
    last_step: int = field(default=0)

    def code(self) -> str:
        """A fresh code: each step is good once, so each use takes the next (at most now + 1)."""
        step = max(int(time.time() // 30) - 1, self.last_step + 1)
        self.last_step = step
        return pyotp.TOTP(self.secret).at(step * 30)


def enrol(browser: Browser, link: str, email: str, *, shots: bool = False) -> Operator:
    """Opens the enrolment link in a browser of the operator's own, sets the password and the second
    factor (the key read off the page, as a person types it into an app), then signs in."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    answer = page.goto(link)
    assert answer is not None
    assert answer.status == 200
    expect(page.get_by_role("heading", name=f"Enrol as {email}")).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    person = Operator(email, context, page, secret=page.get_by_test_id("totp-secret").inner_text().strip())
    assert re.fullmatch(r"[A-Z2-7]{32}", person.secret), person.secret
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=repeated]", PASSWORD)
    page.fill("input[name=code]", person.code())
    if shots:
        shoot(page, "01-enrol")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", name="You are enrolled")).to_be_visible()
    if shots:
        shoot(page, "02-enrolled")
    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/console/sign-in$"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=code]", person.code())
    if shots:
        shoot(page, "03-sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/console/queue$"))
    expect(page.get_by_test_id("who")).to_contain_text(email)
    return person


def dialogs_of(page: Page) -> list[str]:
    """The dialogs (alert, confirm...) the page opens from now on, each dismissed."""
    opened: list[str] = []

    def dismissed(dialog: Any) -> None:
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dismissed)
    return opened


def csrf_on(page: Page) -> str:
    """The CSRF token the page's forms carry."""
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    assert token
    return token


@contextmanager
def chromium_browser(chromium: Path) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --- the test --------------------------------------------------------------------------------------------


def test_reviewers_work_the_queue_with_four_eyes_in_a_real_browser(database_url: str, chromium: Path) -> None:
    from playwright.sync_api import expect

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"KYCRAIL_DATABASE_URL": database_url, "KYCRAIL_FOUR_EYES": "true"}
    args = ["serve", "--sandbox", "--port", str(port)]
    with (
        running(args, env, f"{base}/healthz") as printed,
        chromium_browser(chromium) as browser,
        httpx.Client(base_url=base, timeout=10) as api,
    ):
        key = next((line.strip() for line in printed if line.startswith("kr_")), None)
        assert key is not None, f"no sandbox key printed: {printed}"
        api.headers["Authorization"] = f"Bearer {key}"
        emily = pending(api, "Emily", 1)
        grace = pending(api, "Grace", 2)
        hedy = pending(api, "Hedy", 3)
        hostile = hostile_business(api)

        # 1. Operators made with the CLI enrol through their links: password, and the app's code.
        rita_link = operator_link(database_url, base, "rita@sandbox.example", "sandbox", "reviewer")
        ada_link = operator_link(database_url, base, "ada@sandbox.example", "sandbox", "admin")
        rita = enrol(browser, rita_link, "rita@sandbox.example", shots=True)
        ada = enrol(browser, ada_link, "ada@sandbox.example")
        # A link is good once.
        used = rita.context.new_page()
        answer = used.goto(rita_link)
        assert answer is not None
        assert answer.status == 404
        expect(used.get_by_role("heading", name="This enrolment link is not valid")).to_be_visible()
        shoot(used, "04-enrol-link-used")
        used.close()

        # 2. Rita works the queue: the three pending customers, oldest first.
        page = rita.page
        page.goto(f"{base}/console/queue")
        expect(page.get_by_test_id("total")).to_have_text("3")
        rows = page.locator("tr[data-customer]")
        expect(rows).to_have_count(3)
        assert [rows.nth(i).get_attribute("data-customer") for i in range(3)] == [emily, grace, hedy]
        expect(page.locator(f'tr[data-customer="{hostile}"]')).to_have_count(0)  # not pending
        shoot(page, "05-queue")
        row = page.locator(f'tr[data-customer="{emily}"]')
        row.get_by_role("button", name="Take").click()
        expect(row.get_by_role("button", name="Release")).to_be_visible()
        expect(row).to_contain_text("rita@sandbox.example")
        shoot(page, "06-queue-taken")
        row.get_by_role("link", name="Emily Rose Carter").click()
        expect(page).to_have_url(f"{base}/console/customers/{emily}")
        expect(page.get_by_test_id("customer-name")).to_have_text("Emily Rose Carter")
        expect(page.get_by_test_id("status")).to_have_text("pending")
        expect(page.get_by_text("Taken by rita@sandbox.example")).to_be_visible()
        # The passport is shown inline, and the browser really decoded it; the PDF is a link.
        image = page.locator("figure.document img")
        expect(image).to_have_count(1)
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [240, 150]
        source = image.get_attribute("src")
        assert source is not None
        assert source.startswith(f"/console/customers/{emily}/documents/")
        fetched = rita.context.request.get(f"{base}{source}")
        assert fetched.status == 200
        assert fetched.headers["content-type"] == "image/png"
        assert fetched.body() == passport_picture()
        pdf_link = page.get_by_role("link", name="Open the application/pdf file")
        expect(pdf_link).to_be_visible()
        pdf_href = pdf_link.get_attribute("href")
        assert pdf_href is not None
        pdf = rita.context.request.get(f"{base}{pdf_href}")
        assert pdf.status == 200
        assert pdf.headers["content-type"] == "application/pdf"
        shoot(page, "07-customer")

        # Send one criterion back, with what the customer is told and an internal note.
        name = "identity_document"
        page.locator(f'input[name=criterion][value="{name}"]').check()
        page.fill(f'input[name="reason.{name}"]', REASON)
        page.locator("form.decision").nth(1).locator("textarea[name=note]").fill(NOTE)
        page.get_by_test_id("send-back").click()
        expect(page).to_have_url(f"{base}/console/customers/{emily}?done=send_back")
        expect(page.get_by_role("status")).to_have_text(
            "Sent back: the customer is asked for the criteria you named."
        )
        expect(page.get_by_test_id("status")).to_have_text("incomplete")
        assert profile_status(api, emily) == "incomplete"
        expect(page.get_by_test_id("trail")).to_contain_text("rita@sandbox.example")
        expect(page.get_by_text(NOTE)).to_be_visible()
        expect(page.get_by_text(f"{name}: {REASON}")).to_be_visible()
        shoot(page, "08-customer-sent-back")
        events = api.get(f"/v2/customer/{emily}/events").json()["events"]
        reviewed = [event for event in events if event["type"] == "customer.reviewed"]
        assert reviewed, events
        assert reviewed[-1]["actor"]["keyPrefix"] == "console"
        assert NOTE not in str(events)  # the note is for kycrail's reviewers only

        # 3. Four eyes: Rita's rejection for good is only proposed; she cannot confirm it herself.
        page.goto(f"{base}/console/customers/{grace}")
        expect(page.get_by_test_id("status")).to_have_text("pending")
        page.locator(f'input[name=criterion][value="{name}"]').check()
        page.fill(f'input[name="reason.{name}"]', FORGED)
        page.get_by_test_id("reject").click()
        expect(page).to_have_url(f"{base}/console/customers/{grace}?done=proposed")
        proposal = page.get_by_test_id("proposal")
        expect(proposal).to_be_visible()
        expect(proposal).to_contain_text("rita@sandbox.example proposed to reject")
        expect(proposal).to_contain_text(f"{name}: {FORGED}")
        expect(page.get_by_test_id("status")).to_have_text("pending")
        assert profile_status(api, grace) == "pending"
        shoot(page, "09-customer-proposal")
        with page.expect_response(lambda r: r.request.method == "POST") as refused:
            proposal.get_by_test_id("confirm").click()
        assert refused.value.status == 403
        expect(page.get_by_test_id("error")).to_have_text(
            "You proposed this decision: a second operator must confirm it."
        )
        expect(page.get_by_test_id("proposal")).to_be_visible()
        assert profile_status(api, grace) == "pending"
        shoot(page, "10-own-confirmation-refused-403")

        # Ada, in her own browser, confirms: the rejection takes effect.
        ada.page.goto(f"{base}/console/customers/{grace}")
        expect(ada.page.get_by_test_id("proposal")).to_contain_text("rita@sandbox.example proposed to reject")
        shoot(ada.page, "11-customer-proposal-second-operator")
        ada.page.get_by_test_id("confirm").click()
        expect(ada.page).to_have_url(f"{base}/console/customers/{grace}?done=confirmed")
        expect(ada.page.get_by_test_id("status")).to_have_text("rejected")
        expect(ada.page.get_by_test_id("proposal")).to_have_count(0)
        expect(ada.page.get_by_test_id("reopen")).to_be_visible()  # an admin may reopen
        assert profile_status(api, grace) == "rejected"
        expect(ada.page.get_by_test_id("trail")).to_contain_text("ada@sandbox.example")
        shoot(ada.page, "12-customer-rejected")
        page.reload()
        expect(page.get_by_test_id("status")).to_have_text("rejected")
        expect(page.get_by_text("Rejected for good: only an admin can reopen.")).to_be_visible()

        # 4. A hostile name is text, on the customer's page and in the queue; nothing runs.
        dialogs = dialogs_of(page)
        page.goto(f"{base}/console/customers/{hostile}")
        expect(page.get_by_test_id("customer-name")).to_have_text(HOSTILE)
        expect(page.get_by_text(HOSTILE, exact=True).first).to_be_visible()
        expect(page).to_have_title(f"{HOSTILE} · kycrail")
        expect(page.locator('img[src="x"]')).to_have_count(0)
        shoot(page, "13-hostile-customer")
        page.goto(f"{base}/console/queue?status=all")
        hostile_row = page.locator(f'tr[data-customer="{hostile}"]')
        expect(hostile_row.get_by_role("link")).to_have_text(HOSTILE)
        expect(page.get_by_text(HOSTILE, exact=True)).to_be_visible()
        expect(page.locator('img[src="x"]')).to_have_count(0)
        expect(page.get_by_test_id("total")).to_have_text("4")
        shoot(page, "14-queue-all")
        assert dialogs == []

        # 5. CSRF: a POST with Rita's cookies but without the form's token is refused; nothing changes.
        before = version(api, hedy)
        forged = rita.context.request.post(
            f"{base}/console/customers/{hedy}/decide",
            form={"choice": "approve", "version": str(before), "note": "forged"},
            max_redirects=0,
        )
        assert forged.status == 403, forged.text()
        assert "This form is out of date or not from this console" in forged.text()
        wrong = rita.context.request.post(
            f"{base}/console/customers/{hedy}/decide",
            form={"csrf": "not-the-token", "choice": "approve", "version": str(before)},
            max_redirects=0,
        )
        assert wrong.status == 403, wrong.text()
        assert profile_status(api, hedy) == "pending"
        assert version(api, hedy) == before
        page.goto(f"{base}/console/customers/{hedy}")
        expect(page.get_by_test_id("status")).to_have_text("pending")
        expect(page.get_by_text("forged")).to_have_count(0)  # no note was written either

        # 6a. Sanctions lists loaded with the CLI; a customer named as an entry is a hit, explained on
        # the page, and an operator clears it with a reason.
        kycrail(database_url, "lists", "update", "--from", str(OFAC_FILES))
        listed = api.post(
            "/v2/customer",
            json=jane(
                email="john.example@example.com",
                phone="+14155550174",
                personalInformation={
                    **EMILY,
                    "firstName": "John",
                    "middleName": "Paul",
                    "lastName": "Example",
                },
            ),
        )
        assert listed.status_code == 201, listed.text
        listed_id = listed.json()["id"]
        ada.page.goto(f"{base}/console/customers/{listed_id}")
        hit = ada.page.get_by_test_id("screening").locator("article.hit")
        expect(hit).to_have_count(1)
        expect(hit).to_contain_text("EXAMPLE, John Paul")
        expect(hit).to_contain_text("ofac_sdn 90001")
        expect(hit.locator("table.tokens tbody tr")).to_have_count(3)
        shoot(ada.page, "14a-customer-sanctions-hit")
        hit.locator("textarea[name=reason]").fill("Born 1990, not circa 1951; passport checked.")
        hit.get_by_test_id("false-positive").click()
        expect(ada.page).to_have_url(f"{base}/console/customers/{listed_id}?done=false_positive")
        expect(ada.page.get_by_test_id("screening")).to_contain_text("false positive by ada@sandbox.example")
        shoot(ada.page, "14b-sanctions-hit-cleared")

        # 6. Another tenant's operator sees none of the sandbox's customers, nor their documents.
        kycrail(database_url, "tenants", "create", "other")
        otto_link = operator_link(database_url, base, "otto@other.example", "other", "reviewer")
        otto = enrol(browser, otto_link, "otto@other.example")
        expect(otto.page.get_by_test_id("total")).to_have_text("0")
        for path in (f"/console/customers/{emily}", source):
            answer = otto.page.goto(f"{base}{path}")
            assert answer is not None
            assert answer.status == 404, path
            expect(otto.page.get_by_role("heading", name="Not found")).to_be_visible()
        shoot(otto.page, "15-other-tenant-404")
        taken = otto.context.request.post(
            f"{base}/console/customers/{hedy}/take",
            form={"csrf": csrf_on(otto.page), "back": "/console/queue"},
            max_redirects=0,
        )
        assert taken.status == 404, taken.text()

        # 7. Signing out ends the session: the queue sends to the sign-in page, even with the old cookie.
        page.goto(f"{base}/console/queue")
        session = next(cookie for cookie in rita.context.cookies() if cookie["name"] == "kycrail_console")
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(f"{base}/console/sign-in")
        page.goto(f"{base}/console/queue")
        expect(page).to_have_url(f"{base}/console/sign-in")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        # The old session's cookie, kept by someone: it is dead.
        rita.context.add_cookies(
            [
                {
                    "name": session["name"],
                    "value": session["value"],
                    "domain": session["domain"],
                    "path": session["path"],
                }
            ]
        )
        assert any(cookie["name"] == "kycrail_console" for cookie in rita.context.cookies())
        page.goto(f"{base}/console/queue")
        expect(page).to_have_url(f"{base}/console/sign-in")
        shoot(page, "16-signed-out")
