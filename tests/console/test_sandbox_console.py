"""Under `serve --sandbox` (plain http on loopback): the session cookie cannot be Secure, and four eyes
are off unless asked for (kycrail/console/sessions.py, config.four_eyes_on)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI

from kycrail.applicants import documents
from kycrail.config import Settings
from kycrail.documents.fetched import Limits
from kycrail.storage import Storage
from tests.api.calls import create, mint, put
from tests.api.test_kyc_decisions import pending_emily, status, v2
from tests.conftest import KeyFactory
from tests.console.desk import Console, enrolled
from tests.settings import settings_for

Browsers = Callable[[], Console]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url, sandbox=True)


@pytest.fixture
async def plain_http(app: FastAPI) -> AsyncIterator[Callable[[], Console]]:
    opened: list[Console] = []

    def open_one() -> Console:
        opened.append(Console(app, https=False))
        return opened[-1]

    yield open_one
    for browser in opened:
        await browser.aclose()


async def test_the_sandbox_cookie_works_on_plain_http(storage: Storage, plain_http: Browsers) -> None:
    browser = plain_http()
    signed = await browser.sign_in(await enrolled(storage))
    cookie = next(
        v for k, v in signed.headers.multi_items() if k == "set-cookie" and v.startswith("kycrail_console=")
    )
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert "secure" not in attributes
    assert {"httponly", "samesite=strict"} <= attributes
    assert (await browser.get("/console/queue")).status_code == 200


async def test_without_four_eyes_a_final_rejection_takes_effect_at_once(
    client: httpx.AsyncClient, make_key: KeyFactory, storage: Storage, plain_http: Browsers
) -> None:
    headers = {"Authorization": f"Bearer {await make_key('acme')}"}
    customer_id = await pending_emily(client, headers)
    browser = plain_http()
    await browser.sign_in(await enrolled(storage))
    page = (await browser.get(f"/console/customers/{customer_id}")).text
    version = page.split('name="version" value="')[1].split('"')[0]
    rejected = await browser.post(
        f"/console/customers/{customer_id}/decide",
        {
            "choice": "reject",
            "version": version,
            "criterion": "identity_document",
            "reason.identity_document": "Forged",
        },
    )
    assert rejected.headers["location"].endswith("?done=reject")
    assert status(await v2(client, headers, customer_id)) == "rejected"


async def test_a_reviewer_sees_the_files_sumsub_saw_under_the_documents_it_verified(
    app: FastAPI, client: httpx.AsyncClient, make_key: KeyFactory, storage: Storage, plain_http: Browsers
) -> None:
    headers = {"Authorization": f"Bearer {await make_key('acme')}"}
    customer = await create(client, headers)
    assert (
        await put(client, headers, customer["id"], {"shareToken": await mint(client, headers)})
    ).is_success
    browser = plain_http()
    await browser.sign_in(await enrolled(storage))
    before = (await browser.get(f"/console/customers/{customer['id']}")).text
    assert before.count("Held by the KYC provider") == 2  # the passport and the selfie, no file yet
    limits = Limits(max_bytes=10_000_000, max_pixels=40_000_000)
    await documents.fetch_due(storage, app.state.resources.kyc_provider, limits)
    page = (await browser.get(f"/console/customers/{customer['id']}")).text
    assert "Held by the KYC provider" not in page
    files = (await client.get("/v2/document", params={"targetId": customer["id"]}, headers=headers)).json()
    fetched = {file["id"] for file in files["documents"]}
    figures = re.findall(r'<figure class="document" data-document="([^"]+)">(.*?)</figure>', page, re.S)
    assert len(figures) == 2  # the verified documents, each showing its file
    shown = {}
    for document_id, figure in figures:
        (file_id,) = re.findall(r'<img src="[^"]+" alt="[a-z_]+" data-file="([^"]+)"', figure)
        shown[file_id] = document_id
    assert set(shown) == fetched
    assert not set(shown) & set(shown.values())  # files of the documents, not documents of their own
    for file_id in fetched:
        viewed = await browser.http.get(f"/console/customers/{customer['id']}/documents/{file_id}")
        assert (viewed.status_code, viewed.headers["content-type"]) == (200, "image/png")
