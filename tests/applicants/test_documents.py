"""The provider's files of a customer's documents, fetched into kycrail's store (issue 27, item 4;
kycrail/applicants/documents.py): after an import or a webhook's verdict, once, outside any
transaction, again later when SumSub fails; then listed and read back like an upload, by the
tenant's keys alone. SumSub is the in-process emulator; the store is the database and a real S3
server (tests/api/stores.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from kycrail.applicants import documents
from kycrail.applicants import worker as applicants_worker
from kycrail.applicants.tables import provider_document_fetches
from kycrail.config import Settings
from kycrail.customers.provider import KycProvider, ProviderImage
from kycrail.db import utc_now
from kycrail.documents.fetched import Limits
from kycrail.documents.tables import documents as documents_table
from kycrail.storage import Storage
from kycrail.sumsub.emulator.donors import seeded_donors
from tests import s3
from tests.api.calls import create, mint, put
from tests.api.documents import png
from tests.api.stores import document_store
from tests.api.test_sumsub_webhooks import SECRET, decide, linked, notification, post
from tests.settings import settings_for
from tests.waiting import eventually

__all__ = ["document_store"]

LIMITS = Limits(max_bytes=10_000_000, max_pixels=40_000_000)


@pytest.fixture
def settings(database_url: str, document_store: dict[str, object]) -> Settings:
    return settings_for(database_url, sandbox=True, sumsub_webhook_secret=SECRET, **document_store)


@pytest.fixture(autouse=True)
def webhooks_by_hand(app: FastAPI) -> None:
    app.state.emulator.webhooks.config = None  # this file sends SumSub's webhooks itself


@dataclass
class Counting:
    """The app's provider, counting the files it downloads."""

    provider: KycProvider
    downloaded: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.provider.name

    async def document_images(self, applicant_id: str) -> tuple[ProviderImage, ...]:
        return await self.provider.document_images(applicant_id)

    async def image_content(self, image: ProviderImage) -> bytes:
        self.downloaded.append(image.reference)
        return await self.provider.image_content(image)


@pytest.fixture
def provider(app: FastAPI) -> Counting:
    return Counting(app.state.resources.kyc_provider)


async def fetch(storage: Storage, provider: Counting) -> int:
    return await documents.fetch_due(storage, provider, LIMITS)  # type: ignore[arg-type]


async def waiting(storage: Storage) -> int:
    async with storage.engine.connect() as connection:
        query = select(func.count()).select_from(provider_document_fetches)
        return int((await connection.execute(query)).scalar_one())


async def imported(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    """A Swipelux customer whose KYC came from the seeded approved person's share token."""
    customer = await create(client, headers)
    answer = await put(client, headers, customer["id"], {"shareToken": await mint(client, headers)})
    assert answer.status_code == 200, answer.text
    return str(customer["id"])


async def listed(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> list[dict[str, Any]]:
    answer = await client.get("/v2/document", params={"targetId": customer_id}, headers=headers)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["documents"]
    return found


async def test_an_imports_files_are_fetched_listed_and_read_back_by_the_tenant_alone(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    other_headers: dict[str, str],
    storage: Storage,
    provider: Counting,
) -> None:
    customer_id = await imported(client, headers)
    assert await listed(client, headers, customer_id) == []  # the import's request fetched nothing
    assert await waiting(storage) == 1
    assert await fetch(storage, provider) == 1
    assert await waiting(storage) == 0
    files = await listed(client, headers, customer_id)
    assert sorted((f["documentType"], f["source"], f["status"]) for f in files) == [
        ("liveness_report", "sumsub", "accepted"),  # the status of the document SumSub verified
        ("passport", "sumsub", "accepted"),
    ]
    emulator = app.state.emulator
    customer = (await client.get(f"/v2/customer/{customer_id}", headers=headers)).json()
    assert customer["verificationProfiles"][0]["status"] == "approved"
    seen = {image.document["idDocType"]: image.content for image in emulator.images[_applicant(app)]}
    for file in files:
        read = await client.get(f"/v2/document/{file['id']}/file", headers=reviewer_headers)
        assert read.status_code == 200
        expected = seen["PASSPORT" if file["documentType"] == "passport" else "SELFIE"]
        assert (read.content, read.headers["content-type"]) == (expected, "image/png")
        assert file["country"] == "USA"
        assert (await client.get(f"/v2/document/{file['id']}", headers=other_headers)).status_code == 404
        assert (await client.get(f"/v2/document/{file['id']}/file", headers=other_headers)).status_code == 404
    events = (await client.get(f"/v2/customer/{customer_id}/events", headers=headers)).json()["events"]
    fetched = [event for event in events if event["type"] == "document.fetched"]
    assert len(fetched) == 2
    assert {event["actor"]["role"] for event in fetched} == {"provider"}


def _applicant(app: FastAPI) -> str:
    """The applicant the latest import made (the emulator's newest copy of a donor)."""
    emulator = app.state.emulator
    copies = [a for a in emulator.applicants.values() if a["externalUserId"].startswith("copy-")]
    return str(copies[-1]["id"])


async def test_a_file_is_fetched_once_whoever_asks_again(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, provider: Counting
) -> None:
    customer_id = await imported(client, headers)
    await fetch(storage, provider)
    assert len(provider.downloaded) == 2
    # The same person's token again (SumSub copies the same files): asked again, nothing downloaded.
    again = await put(client, headers, customer_id, {"shareToken": await mint(client, headers)})
    assert again.status_code == 200, again.text
    assert await waiting(storage) == 1
    await fetch(storage, provider)
    assert len(provider.downloaded) == 2
    assert len(await listed(client, headers, customer_id)) == 2
    assert await waiting(storage) == 0


async def test_a_webhooks_verdict_fetches_what_the_person_uploaded_once(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    storage: Storage,
    create_customer: Any,
    provider: Counting,
) -> None:
    customer = await create_customer()
    applicant = await linked(app, client, headers, customer["id"])
    emulator = app.state.emulator
    passport, selfie = png(7101), png(7102)
    emulator.add_document(applicant["id"], {"idDocType": "PASSPORT", "country": "USA"}, passport)
    emulator.add_document(applicant["id"], {"idDocType": "SELFIE", "country": "USA"}, selfie)
    emulator.required_id_docs_status[applicant["id"]].update(
        IDENTITY={"idDocType": "PASSPORT", "reviewResult": {"reviewAnswer": "GREEN"}},
        SELFIE={"idDocType": "SELFIE", "reviewResult": {"reviewAnswer": "GREEN"}},
    )
    assert await waiting(storage) == 0  # nothing reviewed yet: nothing to fetch
    await decide(app, applicant, "GREEN")
    answer = await post(client, notification(applicant, "applicantReviewed"))
    assert answer.status_code == 200, answer.text
    assert await waiting(storage) == 1
    await fetch(storage, provider)
    files = await listed(client, headers, customer["id"])
    contents = set()
    for file in files:
        assert file["source"] == "sumsub"
        contents.add((await client.get(f"/v2/document/{file['id']}/file", headers=headers)).content)
    assert contents == {passport, selfie}
    # The same webhook again, and another about the same verdict: nothing asked, nothing downloaded.
    assert (await post(client, notification(applicant, "applicantReviewed"))).status_code == 200
    later = notification(applicant, "applicantReviewed", at="2026-12-01 10:05:00.000")
    assert (await post(client, later)).status_code == 200
    assert await waiting(storage) == 0
    await fetch(storage, provider)
    assert len(provider.downloaded) == 2


async def test_sumsub_failing_leaves_the_fetch_for_a_later_turn(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, provider: Counting
) -> None:
    customer_id = await imported(client, headers)
    app.state.emulator.knobs.fail_with_5xx = 1000
    await fetch(storage, provider)
    assert await listed(client, headers, customer_id) == []
    async with storage.engine.connect() as connection:
        (row,) = (await connection.execute(select(provider_document_fetches))).all()
    assert row.attempts == 1
    assert row.next_attempt_at > utc_now() + timedelta(seconds=20)  # backing off
    app.state.emulator.knobs.fail_with_5xx = 0
    assert await fetch(storage, provider) == 0  # not its turn yet
    async with storage.engine.begin() as connection:
        await connection.execute(update(provider_document_fetches).values(next_attempt_at=utc_now()))
    assert await fetch(storage, provider) == 1
    assert len(await listed(client, headers, customer_id)) == 2
    assert await waiting(storage) == 0


async def test_a_file_kycrail_would_not_take_is_left_out_and_not_fetched_again(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, provider: Counting
) -> None:
    customer_id = await imported(client, headers)
    kept = app.state.emulator.images[_applicant(app)]
    selfie = next(image for image in kept if image.step == "SELFIE")
    selfie.content = b"GIF89a" + b"\x00" * 64  # SumSub holds a file of a type kycrail does not take
    await fetch(storage, provider)
    assert [f["documentType"] for f in await listed(client, headers, customer_id)] == ["passport"]
    assert await waiting(storage) == 0  # done: a refused file is not retried for ever


async def test_a_file_past_the_size_limit_is_not_downloaded(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, provider: Counting
) -> None:
    customer_id = await imported(client, headers)
    small = Limits(max_bytes=200, max_pixels=LIMITS.max_pixels)  # the sample card is larger
    await documents.fetch_due(storage, provider, small)  # type: ignore[arg-type]
    assert provider.downloaded == ["sumsub:image:" + str(_seeded_selfie_id())]
    assert [f["documentType"] for f in await listed(client, headers, customer_id)] == ["liveness_report"]


def _seeded_selfie_id() -> int:
    for applicant, steps in seeded_donors():
        if applicant["externalUserId"] == "sandbox-approved":
            return int(steps["SELFIE"]["imageIds"][0])
    raise AssertionError("no seeded approved person")


async def test_a_deleted_customers_files_are_not_fetched(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, provider: Counting
) -> None:
    customer_id = await imported(client, headers)
    assert (await client.delete(f"/v1/customers/{customer_id}", headers=headers)).status_code in (200, 204)
    await fetch(storage, provider)
    assert provider.downloaded == []
    assert await waiting(storage) == 0


async def test_fetched_files_are_sealed_and_go_with_their_customer(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    admin_headers: dict[str, str],
    storage: Storage,
    provider: Counting,
) -> None:
    customer_id = await imported(client, headers)
    await fetch(storage, provider)
    originals = [image.content for image in app.state.emulator.images[_applicant(app)]]
    async with storage.engine.connect() as connection:
        rows = (await connection.execute(select(documents_table))).all()
    assert len(rows) == 2
    store = storage.document_store
    for row in rows:
        sealed = bytes(row.content) if row.content is not None else None
        if store is not None:
            sealed = await store.get(row.object_key)
        assert sealed is not None
        assert not any(original in sealed for original in originals)
    erased = await client.post(f"/ops/customers/{customer_id}/erase", headers=admin_headers)
    assert erased.status_code == 204, erased.text
    async with storage.engine.connect() as connection:
        assert (await connection.execute(select(documents_table))).all() == []
    if store is not None:
        assert s3.objects(store.bucket) == {}


async def test_the_worker_fetches_them(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    customer_id = await imported(client, headers)
    provider = app.state.resources.kyc_provider
    loop = asyncio.create_task(
        applicants_worker.run_forever(
            storage, provider, every=timedelta(minutes=15), limits=LIMITS, pause_seconds=0.05
        )
    )

    async def both_files() -> bool:  # ...and the fetch done
        return len(await listed(client, headers, customer_id)) == 2 and await waiting(storage) == 0

    try:
        await eventually(both_files, describe=lambda: "not both files")
    finally:
        loop.cancel()
