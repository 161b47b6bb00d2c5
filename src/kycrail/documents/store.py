"""Documents' bytes in an S3-compatible object store (``KYCRAIL_DOCUMENT_STORE=s3://bucket/prefix``).

What is put here is already sealed under the customer's data key (documents/repository.py seals it):
the store never holds a plaintext document, and erasing the customer's key shreds its objects too.
Objects are named ``<prefix>/<tenant>/<customer>/<document id>``: nothing personal in a name. A store
that cannot be reached is ``DocumentStoreUnavailable`` (503), never a half-written document.

The default, ``database``, keeps the sealed bytes in the documents table: no store at all.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiobotocore.session import get_session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from kycrail.errors import DocumentStoreUnavailable

_DELETE_BATCH = 1000  # S3's DeleteObjects takes at most this many keys


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    modified_at: datetime


class S3Store:
    """One bucket (and a prefix in it), through one client kept open for the process's life."""

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self._client = client
        self.bucket = bucket
        self.prefix = prefix

    def key_of(self, tenant_id: str, customer_id: str, document_id: str) -> str:
        return "/".join(part for part in (self.prefix, tenant_id, customer_id, document_id) if part)

    async def put(self, key: str, sealed: bytes) -> None:
        async with _reaching(self.bucket):
            await self._client.put_object(Bucket=self.bucket, Key=key, Body=sealed)

    async def get(self, key: str) -> bytes:
        async with _reaching(self.bucket):
            answer = await self._client.get_object(Bucket=self.bucket, Key=key)
            async with answer["Body"] as body:
                data: bytes = await body.read()
        return data

    async def delete(self, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), _DELETE_BATCH):
            batch = [{"Key": key} for key in keys[start : start + _DELETE_BATCH]]
            async with _reaching(self.bucket):
                await self._client.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
                )

    @contextlib.asynccontextmanager
    async def holding(self, key: str, sealed: bytes) -> AsyncIterator[None]:
        """The object put for the block's write, taken back if the block fails. Put first, outside
        any transaction, so that no row ever names an object that was not put; a crash in between
        leaves an object no row names, which the sweep removes (documents/sweep.py), as it does
        when the store is down for the taking back too."""
        await self.put(key, sealed)
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                await self.delete([key])
            raise

    async def objects(self) -> AsyncIterator[StoredObject]:
        """Every object under the prefix (what the orphan sweep compares with the documents table)."""
        paginator = self._client.get_paginator("list_objects_v2")
        prefix = f"{self.prefix}/" if self.prefix else ""
        async with _reaching(self.bucket):
            async for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for found in page.get("Contents", []):
                    yield StoredObject(found["Key"], found["LastModified"])


@contextlib.asynccontextmanager
async def _reaching(bucket: str) -> AsyncIterator[None]:
    try:
        yield
    except (BotoCoreError, ClientError, OSError) as failure:
        # The reason names the store's error (its code), never a key or a document's bytes.
        code = failure.response.get("Error", {}).get("Code", "") if isinstance(failure, ClientError) else ""
        reason = code or type(failure).__name__
        raise DocumentStoreUnavailable(f"The document store (bucket {bucket}) failed: {reason}.") from None


def parse_location(location: str) -> tuple[str, str]:
    """``s3://bucket/prefix`` -> (bucket, prefix)."""
    bucket, _, prefix = location.removeprefix("s3://").partition("/")
    return bucket, prefix.strip("/")


@contextlib.asynccontextmanager
async def opened(
    location: str,
    *,
    endpoint_url: str | None,
    region: str,
    access_key_id: str | None,
    secret_access_key: str | None,
) -> AsyncIterator[S3Store]:
    """The store at ``location`` (``s3://bucket/prefix``), its client open until the block ends."""
    bucket, prefix = parse_location(location)
    config = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2, "mode": "standard"})
    client = get_session().create_client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        config=config,
    )
    async with client as s3:
        yield S3Store(s3, bucket, prefix)
