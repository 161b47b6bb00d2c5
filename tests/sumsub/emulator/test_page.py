"""The WebSDK page: opened by its link's token alone, a person's form (fixedInfo, a document, pending)
and a reviewer's buttons (testCompleted), every value escaped."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.emulator.sample import sample_png
from tests.api.documents import png
from tests.sumsub.conftest import FakeClock
from tests.sumsub.emulator.calls import call, create_applicant, multipart


async def open_link(
    http: httpx.AsyncClient, user_id: str = "page-user", level: str = "basic-kyc-level", **more: Any
) -> str:
    body = json.dumps({"levelName": level, "userId": user_id, **more}).encode()
    response = await call(http, "POST", "/resources/sdkIntegrations/levels/-/websdkLink", body)
    url: str = response.json()["url"]
    return url.removeprefix("http://sumsub.test")


def form(**values: str | bytes) -> tuple[bytes, dict[str, str]]:
    parts = [
        (
            name,
            value if isinstance(value, bytes) else value.encode(),
            "doc.png" if name == "content" else None,
        )
        for name, value in values.items()
    ]
    body, content_type = multipart(*parts)
    return body, {"Content-Type": content_type}


PERSON = {
    "firstName": "Ann",
    "lastName": "Lee",
    "dob": "1990-01-02",
    "idDocType": "PASSPORT",
    "country": "USA",
}


async def submit(http: httpx.AsyncClient, path: str, **values: str | bytes) -> httpx.Response:
    body, headers = form(**values)
    return await http.post(f"{path}/submit", content=body, headers=headers)


async def decide(http: httpx.AsyncClient, path: str, decision: str, comment: str = "") -> httpx.Response:
    body, headers = form(decision=decision, comment=comment)
    return await http.post(f"{path}/review", content=body, headers=headers)


def status_of(page: httpx.Response) -> tuple[str, str]:
    found = re.search(r'data-review-status="([^"]*)" data-review-answer="([^"]*)"', page.text)
    assert found is not None
    return found.group(1), found.group(2)


async def test_opening_a_link_creates_the_applicant_once(http: httpx.AsyncClient, emulator: Emulator) -> None:
    path = await open_link(http, applicantIdentifiers={"email": "ann@example.com"})
    page = await http.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'nonce-" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert status_of(page) == ("init", "")
    applicant = emulator.applicants[emulator.applicant_id_for("page-user")]
    assert applicant["email"] == "ann@example.com"
    assert applicant["review"]["levelName"] == "basic-kyc-level"
    await http.get(path)
    assert [event["type"] for event in emulator.webhooks.emitted] == ["applicantCreated"]


async def test_the_page_is_self_contained(http: httpx.AsyncClient) -> None:
    text = (await http.get(await open_link(http))).text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "<link" not in text
    assert 'id="use-sample"' in text
    assert f'data-sample="{__import__("base64").b64encode(sample_png()).decode()}"' in text


async def test_unknown_and_expired_links_are_plain_pages(http: httpx.AsyncClient, clock: FakeClock) -> None:
    unknown = await http.get("/websdk/p/sbx_nope")
    assert unknown.status_code == 404
    assert "not valid" in unknown.text
    path = await open_link(http, ttlInSecs=60)
    clock.now += 61
    for expired in (
        await http.get(path),
        await submit(http, path, **PERSON),
        await decide(http, path, "approve"),
    ):
        assert expired.status_code == 410
        assert "expired" in expired.text


async def test_a_submission_fills_in_the_applicant_and_asks_for_review(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    path = await open_link(http)
    response = await submit(http, path, **PERSON, content=sample_png())
    assert response.status_code == 303
    assert response.headers["location"] == path
    applicant_id = emulator.applicant_id_for("page-user")
    applicant = (await call(http, "GET", f"/resources/applicants/{applicant_id}/one")).json()
    assert applicant["fixedInfo"] == {"firstName": "Ann", "lastName": "Lee", "dob": "1990-01-02"}
    # The level asks for a selfie too: the WebSDK's liveness step, which the sandbox person passes.
    assert applicant["info"]["idDocs"] == [
        {"idDocType": "PASSPORT", "country": "USA"},
        {"idDocType": "SELFIE", "country": "USA"},
    ]
    assert applicant["review"]["reviewStatus"] == "pending"
    steps = (await call(http, "GET", f"/resources/applicants/{applicant_id}/requiredIdDocsStatus")).json()
    assert len(steps["IDENTITY"]["imageIds"]) == 1
    assert [event["type"] for event in emulator.webhooks.emitted] == ["applicantCreated", "applicantPending"]
    page = await http.get(path)
    assert status_of(page) == ("pending", "")
    assert 'id="submit-form"' not in page.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"content": None}, "Attach an image"),
        ({"content": b""}, "Attach an image"),
        ({"dob": "1990-02-31"}, "Date of birth"),
        ({"firstName": " "}, "firstName"),
        ({"idDocType": "SELFIE"}, "Choose one of the documents"),
        ({"country": 'USA", "number": "X'}, "country"),
        ({"lastName": "\udcff"}, "UTF-8"),
    ],
)
async def test_a_bad_submission_is_shown_back_and_changes_nothing(
    http: httpx.AsyncClient, emulator: Emulator, change: dict[str, Any], message: str
) -> None:
    path = await open_link(http)
    await http.get(path)
    values: dict[str, Any] = {**PERSON, "content": b"image", **change}
    raw = {
        name: value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
        for name, value in values.items()
        if value is not None
    }
    response = await submit(http, path, **raw)
    assert response.status_code == 400
    assert message in response.text
    applicant = emulator.applicants[emulator.applicant_id_for("page-user")]
    assert (applicant["fixedInfo"], applicant["review"]["reviewStatus"]) == ({}, "init")
    assert "idDocs" not in applicant["info"]


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        ("approve", {"reviewAnswer": "GREEN", "moderationComment": "Welcome"}),
        (
            "reject",
            {
                "reviewAnswer": "RED",
                "reviewRejectType": "FINAL",
                "rejectLabels": ["FORGERY"],
                "moderationComment": "Welcome",
            },
        ),
        (
            "retry",
            {
                "reviewAnswer": "RED",
                "reviewRejectType": "RETRY",
                "rejectLabels": ["UNSATISFACTORY_PHOTOS"],
                "moderationComment": "Welcome",
            },
        ),
    ],
)
async def test_the_reviewer_buttons_are_test_completed(
    http: httpx.AsyncClient, emulator: Emulator, decision: str, expected: dict[str, Any]
) -> None:
    path = await open_link(http)
    await submit(http, path, **PERSON, content=png(11))
    assert (await decide(http, path, decision, comment="Welcome")).status_code == 303
    review = emulator.applicants[emulator.applicant_id_for("page-user")]["review"]
    assert review["reviewStatus"] == "completed"
    assert review["reviewResult"] == expected
    assert emulator.webhooks.emitted[-1]["type"] == "applicantReviewed"
    page = await http.get(path)
    assert status_of(page)[1] == expected["reviewAnswer"]
    assert "Welcome" in page.text
    # Only a resubmission request brings the form back.
    assert ('id="submit-form"' in page.text) == (decision == "retry")


async def test_hold_and_unknown_decisions(http: httpx.AsyncClient, emulator: Emulator) -> None:
    path = await open_link(http)
    await submit(http, path, **PERSON, content=png(11))
    assert (await decide(http, path, "hold")).status_code == 303
    assert emulator.applicants[emulator.applicant_id_for("page-user")]["review"]["reviewStatus"] == "onHold"
    assert emulator.webhooks.emitted[-1]["type"] == "applicantOnHold"
    assert (await decide(http, path, "shrug")).status_code == 400
    page = await http.get(path)
    assert status_of(page) == ("onHold", "")
    assert 'id="submit-form"' in page.text


async def test_everything_shown_is_escaped(http: httpx.AsyncClient, emulator: Emulator) -> None:
    hostile = '<script>alert("x")</script>'
    await create_applicant(http, "hostile", fixedInfo={"firstName": hostile, "lastName": '"><img src=x>'})
    path = await open_link(http, "hostile")
    await submit(http, path, **{**PERSON, "firstName": hostile, "lastName": '"><img src=x>'}, content=png(13))
    await decide(http, path, "retry", comment=hostile)
    text = (await http.get(path)).text
    assert "<script>alert" not in text
    assert "<img src=x>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text


async def test_a_company_link_asks_for_the_company(http: httpx.AsyncClient, emulator: Emulator) -> None:
    path = await open_link(http, "acme", level="basic-kyb-level")
    page = await http.get(path)
    assert 'name="companyName"' in page.text
    assert 'value="COMPANY_DOC"' in page.text
    response = await submit(
        http,
        path,
        companyName="Acme",
        registrationNumber="123",
        idDocType="COMPANY_DOC",
        country="GBR",
        content=png(12),
    )
    assert response.status_code == 303
    applicant = emulator.applicants[emulator.applicant_id_for("acme")]
    assert applicant["type"] == "company"
    assert applicant["fixedInfo"] == {"companyInfo": {"companyName": "Acme", "registrationNumber": "123"}}
    assert applicant["review"]["reviewStatus"] == "pending"


@pytest.mark.parametrize(
    ("method", "suffix"), [("GET", "/submit"), ("POST", ""), ("PUT", "/review"), ("GET", "/other")]
)
async def test_other_requests_on_a_link_are_404(http: httpx.AsyncClient, method: str, suffix: str) -> None:
    path = await open_link(http)
    assert (await http.request(method, path + suffix)).status_code == 404


async def test_a_url_encoded_form_is_taken_too(http: httpx.AsyncClient, emulator: Emulator) -> None:
    path = await open_link(http)
    await http.get(path)
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    response = await http.post(f"{path}/review", content=b"decision=approve&comment=Hi%21", headers=form_type)
    assert response.status_code == 303
    review = emulator.applicants[emulator.applicant_id_for("page-user")]["review"]
    assert review["reviewResult"] == {"reviewAnswer": "GREEN", "moderationComment": "Hi!"}
    for bad in (b"decision=%ff", b"&".join([b"a=1"] * 20)):
        shown = await http.post(f"{path}/review", content=bad, headers=form_type)
        assert shown.status_code == 400
        assert 'id="error"' in shown.text
    other = await http.post(f"{path}/submit", content=b"x", headers={"Content-Type": "text/plain"})
    assert other.status_code == 400


async def test_both_forms_post_multipart(http: httpx.AsyncClient) -> None:
    page = (await http.get(await open_link(http))).text
    for form_id in ("submit-form", "review-form"):
        tag = re.search(rf'<form id="{form_id}"[^>]*>', page)
        assert tag is not None
        assert 'enctype="multipart/form-data"' in tag.group(0)


async def test_the_page_needs_no_app_signature_but_the_api_still_does(http: httpx.AsyncClient) -> None:
    assert (await http.get(await open_link(http))).status_code == 200
    assert (await http.get("/resources/status/api")).status_code == 401


async def approved_through_the_page(http: httpx.AsyncClient, emulator: Emulator) -> tuple[str, str]:
    """A link's applicant whose document and selfie SumSub approved: the link's path, and its id."""
    path = await open_link(http)
    await submit(http, path, **PERSON, content=png(11))
    await decide(http, path, "approve")
    return path, emulator.applicant_id_for("page-user")


async def test_after_a_step_reset_the_page_asks_for_that_step_alone(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    path, applicant_id = await approved_through_the_page(http, emulator)
    assert 'id="submit-form"' not in (await http.get(path)).text  # approved: nothing to give
    steps = emulator.required_id_docs_status[applicant_id]
    identity = dict(steps["IDENTITY"])

    await call(http, "POST", f"/resources/applicants/{applicant_id}/resetStep/SELFIE")
    page = await http.get(path)
    assert status_of(page) == ("init", "")
    assert 'id="submit-form"' in page.text
    assert 'name="idDocType"' not in page.text  # the document stands: only the liveness check
    assert 'id="liveness-note"' in page.text
    response = await submit(http, path, liveness="passed")
    assert response.status_code == 303, response.text
    assert steps["IDENTITY"] == identity  # untouched: same images, same approval
    assert steps["SELFIE"]["idDocType"] == "SELFIE"
    assert "reviewResult" not in steps["SELFIE"]
    assert emulator.applicants[applicant_id]["review"]["reviewStatus"] == "pending"


async def test_after_an_identity_step_reset_the_page_asks_for_the_document_alone(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    path, applicant_id = await approved_through_the_page(http, emulator)
    steps = emulator.required_id_docs_status[applicant_id]
    selfie = dict(steps["SELFIE"])

    await call(http, "POST", f"/resources/applicants/{applicant_id}/resetStep/IDENTITY")
    page = await http.get(path)
    assert 'name="idDocType"' in page.text
    assert 'name="firstName"' in page.text
    assert (await submit(http, path, liveness="passed")).status_code == 400  # the document is asked for
    response = await submit(http, path, **{**PERSON, "idDocType": "ID_CARD"}, content=png(14))
    assert response.status_code == 303, response.text
    assert steps["SELFIE"] == selfie  # the liveness check is not taken again
    assert steps["IDENTITY"]["idDocType"] == "ID_CARD"
    await decide(http, path, "approve")
    assert steps["IDENTITY"]["reviewResult"] == {"reviewAnswer": "GREEN"}
