"""A refused write changes nothing (issue 24, item 7): after a share-token PUT answered 400 (an expired
token) the customer reads exactly as the import left it: its ``updatedAt``, its version (``ETag``), its
audit trail and its outgoing events.

What moved them was not the refused PUT itself: right after an import, the worker reads the applicant
it follows (a reconciliation, or SumSub's own webhook about it) and wrote that reading back even when it
brought nothing new, as a new version with a ``customer.provider_updated`` event and a webhook. A reading
that changes nothing now writes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kycrail.applicants import service as applicants
from kycrail.outbox.tables import outbox_events
from kycrail.storage import Storage
from tests.api.calls import create, mint, put, stored

EVERY = timedelta(minutes=15)


async def _outgoing(storage: Storage) -> int:
    async with storage.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(outbox_events))).scalar_one())


async def _as_seen(client: httpx.AsyncClient, headers: dict[str, str], customer_id: str) -> dict[str, Any]:
    """What a client can see of the customer: its answer, its ETag and its audit trail."""
    read = await client.get(f"/v1/customers/{customer_id}", headers=headers)
    events = await client.get(f"/v1/customers/{customer_id}/events", headers=headers)
    return {"customer": read.json(), "etag": read.headers["etag"], "events": events.json()}


def _expired(app: FastAPI, token: str) -> str:
    """The token as SumSub holds it an hour after it was minted (its 10-minute life long over)."""
    app.state.emulator._tokens._tokens[token].created_at -= 3600
    return token


@pytest.mark.parametrize("donor", ["approved", "partial"])
async def test_after_an_import_a_refused_put_leaves_the_customer_as_the_import_answered_it(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, donor: str
) -> None:
    created = await create(client, headers)
    imported = await put(client, headers, created["id"], {"shareToken": await mint(client, headers, donor)})
    assert imported.status_code == 200, imported.text
    after_import = await _as_seen(client, headers, created["id"])
    assert (after_import["customer"], after_import["etag"]) == (imported.json(), imported.headers["etag"])
    row, outgoing = await stored(storage, created["id"]), await _outgoing(storage)

    # What the worker of `kycrail serve` does at once: read the applicant the import now follows.
    provider = app.state.resources.kyc_provider
    assert await applicants.reconcile_due(storage, provider, every=EVERY) == 1
    refused = await put(
        client, headers, created["id"], {"shareToken": _expired(app, await mint(client, headers, donor))}
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "share_token_invalid")

    assert await _as_seen(client, headers, created["id"]) == after_import
    assert await stored(storage, created["id"]) == row
    assert await _outgoing(storage) == outgoing


async def test_a_refused_put_writes_nothing_at_all(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    created = await create(client, headers)
    before = await _as_seen(client, headers, created["id"])
    row, outgoing = await stored(storage, created["id"]), await _outgoing(storage)
    token = _expired(app, await mint(client, headers))
    refused = await put(client, headers, created["id"], {"shareToken": token, "phone": "+14155550142"})
    assert (refused.status_code, refused.json()["code"]) == (400, "share_token_invalid")
    assert await _as_seen(client, headers, created["id"]) == before
    assert await stored(storage, created["id"]) == row
    assert await _outgoing(storage) == outgoing


async def test_a_reading_that_brings_something_new_is_still_written(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    """The other side of the rule: SumSub changing its mind (GREEN, later RED) reaches the customer."""
    created = await create(client, headers)
    imported = await put(client, headers, created["id"], {"shareToken": await mint(client, headers)})
    assert imported.json()["status"] == "approved"
    resources = app.state.resources
    applicant_id = (await stored(storage, created["id"]))["sumsub"]["applicant_id"]
    await resources.sumsub.set_test_review(
        applicant_id, answer="RED", reject_labels=("FORGERY",), reject_type="FINAL"
    )
    assert await applicants.reconcile_due(storage, resources.kyc_provider, every=EVERY) == 1
    read = await client.get(f"/v1/customers/{created['id']}", headers=headers)
    assert read.json()["status"] == "rejected"
    assert read.headers["etag"] != imported.headers["etag"]
