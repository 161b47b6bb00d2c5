"""Documents' files in an S3 bucket (KYCRAIL_DOCUMENT_STORE=s3://..., kycrail/documents/store.py), on a
real S3 server (moto in server mode, tests/s3.py): sealed before they leave, named by no personal data,
deleted with their customer, never half-written when the store or the database fails, and swept when
orphaned. (Every other document test runs on this store too: tests/api/stores.py.)"""

from __future__ import annotations

import asyncio
import struct
import zlib
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kycrail.cli import main
from kycrail.config import Settings
from kycrail.db import utc_now
from kycrail.documents import store as documents_store
from kycrail.documents.sweep import sweep_orphans
from kycrail.documents.tables import documents as documents_table
from kycrail.storage import Storage
from tests import s3
from tests.api import documents
from tests.api.calls import upload
from tests.api.test_kyc_decisions import FINAL_REJECTION, pending_emily, review
from tests.processes import free_port

MARKER = b"DOCMARK-s3-passport-canary"


@pytest.fixture
def bucket() -> str:
    return s3.new_bucket()


@pytest.fixture
def document_store(bucket: str) -> dict[str, object]:
    return s3.settings_of(bucket, prefix="kyc")


def passport_with_marker() -> bytes:
    """A real PNG carrying a marker in a text chunk: plaintext bytes that must never reach the bucket."""
    png = documents.png(4242)
    text = b"tEXt" + b"Comment\x00" + MARKER
    chunk = struct.pack(">I", len(text) - 4) + text + struct.pack(">I", zlib.crc32(text))
    return png[:33] + chunk + png[33:]  # after the signature and IHDR


async def rows(storage: Storage) -> list[Any]:
    async with storage.engine.connect() as connection:
        return list(await connection.execute(select(documents_table)))


async def test_a_file_is_sealed_in_the_bucket_named_by_ids_and_read_back(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, bucket: str, create_customer: Any
) -> None:
    customer = await create_customer()
    content = passport_with_marker()
    uploaded = await upload(client, headers, customer["id"], content=content)
    assert uploaded.status_code == 201, uploaded.text
    document_id = uploaded.json()["id"]
    stored = s3.objects(bucket)
    [(key, sealed)] = stored.items()
    tenant_id = (await rows(storage))[0].tenant_id
    assert key == f"kyc/{tenant_id}/{customer['id']}/{document_id}"
    assert MARKER not in sealed  # sealed under the customer's key before it left
    assert content not in sealed
    [row] = await rows(storage)
    assert (row.content, row.object_key) == (None, key)  # the bytes are in the bucket, not the table
    read = await client.get(f"/v2/document/{document_id}/file", headers=headers)
    assert read.status_code == 200
    assert read.content == content


async def test_erasure_deletes_the_objects(
    client: httpx.AsyncClient, headers: dict[str, str], admin_headers: dict[str, str], bucket: str
) -> None:
    customer_id = await pending_emily(client, headers)
    assert len(s3.objects(bucket)) == 2
    erased = await client.post(f"/ops/customers/{customer_id}/erase", headers=admin_headers)
    assert erased.status_code == 204, erased.text
    assert s3.objects(bucket) == {}


async def test_the_purge_command_deletes_the_shredded_customers_objects(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    settings: Settings,
    bucket: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer_id = await pending_emily(client, headers)
    assert (await client.delete(f"/v1/customers/{customer_id}", headers=headers)).status_code == 204
    assert len(s3.objects(bucket)) == 2
    environment = {
        "KYCRAIL_DATABASE_URL": settings.database_url,
        "KYCRAIL_RETENTION_DAYS": "0",
        **{f"KYCRAIL_{name.upper()}": str(value) for name, value in s3.settings_of(bucket, "kyc").items()},
    }
    if settings.key_file is not None:
        environment["KYCRAIL_KEY_FILE"] = str(settings.key_file)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert await asyncio.to_thread(main, ["purge"]) == 0  # `kycrail purge`, as a cron job runs it
    assert s3.objects(bucket) == {}


async def test_a_write_the_database_refuses_takes_its_object_back(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str], bucket: str
) -> None:
    customer_id = await pending_emily(client, headers)
    assert (await review(client, reviewer_headers, customer_id, FINAL_REJECTION)).status_code == 200
    before = s3.objects(bucket)
    refused = await upload(client, headers, customer_id, "passport", content=documents.png(77))
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "customer/rejected"
    assert s3.objects(bucket) == before  # put, then deleted when the write was refused


async def test_a_store_that_is_down_is_503_and_nothing_is_written(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, create_customer: Any
) -> None:
    customer = await create_customer()
    uploaded = await upload(client, headers, customer["id"], content=documents.png(5))
    assert uploaded.status_code == 201
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    async with documents_store.opened(
        "s3://nowhere/kyc", endpoint_url=dead, region=s3.REGION, **_credentials()
    ) as down:
        original = storage.document_store
        object.__setattr__(storage, "document_store", down)  # the app's own store goes down (frozen: by hand)
        try:
            refused = await upload(client, headers, customer["id"], "id_card", content=documents.png(6))
            assert refused.status_code == 503, refused.text
            assert refused.json()["code"] == "document-store/unavailable"
            assert refused.headers["retry-after"] == "5"
            unread = await client.get(f"/v2/document/{uploaded.json()['id']}/file", headers=headers)
            assert unread.status_code == 503
        finally:
            object.__setattr__(storage, "document_store", original)
    assert len(await rows(storage)) == 1  # nothing half-written
    events = (await client.get(f"/v2/customer/{customer['id']}/events", headers=headers)).json()["events"]
    assert [e["type"] for e in events].count("customer.document_added") == 1
    assert "document.read" not in [e["type"] for e in events]


async def test_the_sweep_removes_only_orphans(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, bucket: str, create_customer: Any
) -> None:
    customer = await create_customer()
    assert (await upload(client, headers, customer["id"], content=documents.png(9))).status_code == 201
    s3.client().put_object(Bucket=bucket, Key="kyc/tenant_x/customer_x/document_orphan", Body=b"sealed?")
    kept = set(s3.objects(bucket)) - {"kyc/tenant_x/customer_x/document_orphan"}
    assert await sweep_orphans(storage, utc_now()) == 0  # both younger than the grace: left alone
    assert await sweep_orphans(storage, utc_now() + timedelta(seconds=5), grace=timedelta(0)) == 1
    assert set(s3.objects(bucket)) == kept


def _credentials() -> dict[str, str]:
    return {
        "access_key_id": s3.CREDENTIALS["aws_access_key_id"],
        "secret_access_key": s3.CREDENTIALS["aws_secret_access_key"],
    }
