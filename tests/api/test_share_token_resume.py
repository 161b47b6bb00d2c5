"""A refused PUT does not cost the share token: the single-use token is spent at SumSub before
kycrail writes anything, so when kycrail's own write then fails, a retry with the same token for the
same customer completes from the applicant SumSub created, while an applied token stays used and a
remembered token is never applied to another customer."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.share_tokens.tables import share_token_imports
from kycrail.storage import Storage
from tests.api.calls import HeldImports, create, mint, put, stored

SUMSUBS_EMAIL = "emily.carter@example.com"  # what the emulator's `approved` donor holds


async def test_an_email_from_sumsub_already_in_use_says_so_and_the_retry_completes(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, storage: Storage
) -> None:
    await create(client, headers, {"email": SUMSUBS_EMAIL})  # another customer holds SumSub's email
    customer = await create(client, headers)
    row = await stored(storage, customer["id"])
    token = await mint(client, headers)
    refused = await put(client, headers, customer["id"], {"shareToken": token})
    assert refused.status_code == 409, refused.text
    error = refused.json()
    # The client never sent an email: the error says where it came from, and points at the token.
    assert error["errors"] == [
        {"pointer": "/shareToken", "message": "Its email is already used by another customer."}
    ]
    assert "SumSub" in error["message"]
    assert await stored(storage, customer["id"]) == row
    # The same token, the conflict fixed in the request: completed from the applicant SumSub made.
    retried = await put(client, headers, customer["id"], {"shareToken": token, "email": "emily@example.org"})
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "approved"
    assert retried.json()["email"] == "emily@example.org"
    # Applied, the token stays used.
    again = await put(client, headers, customer["id"], {"shareToken": token})
    assert again.status_code == 400
    assert again.json()["code"] == "share_token_invalid"


async def test_an_identity_mismatch_fixed_in_the_retry_completes_from_the_same_token(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    customer = await create(
        client, headers, {"firstName": "Bob", "lastName": "Jones", "birthDate": "1970-01-01"}
    )
    token = await mint(client, headers)
    refused = await put(client, headers, customer["id"], {"shareToken": token})
    assert refused.status_code == 409
    assert refused.json()["code"] == "customer_identity_mismatch"
    corrected = {"shareToken": token, "firstName": "Emily", "lastName": "Carter", "birthDate": "1990-04-12"}
    retried = await put(client, headers, customer["id"], corrected)
    assert retried.status_code == 200, retried.text
    assert (retried.json()["firstName"], retried.json()["status"]) == ("Emily", "approved")


async def test_a_remembered_token_is_never_applied_to_another_customer(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, storage: Storage
) -> None:
    await create(client, headers, {"email": SUMSUBS_EMAIL})
    intended, other = await create(client, headers), await create(client, headers)
    token = await mint(client, headers)
    assert (await put(client, headers, intended["id"], {"shareToken": token})).status_code == 409
    other_row = await stored(storage, other["id"])
    elsewhere = await put(client, headers, other["id"], {"shareToken": token, "email": "x@example.org"})
    assert elsewhere.status_code == 400
    assert elsewhere.json()["code"] == "share_token_invalid"
    assert await stored(storage, other["id"]) == other_row
    # Nor to another tenant's customer (each tenant remembers only its own imports).
    completed = await put(client, headers, intended["id"], {"shareToken": token, "email": "e@example.org"})
    assert completed.status_code == 200, completed.text


async def test_a_create_with_a_share_token_resumes_on_retry(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    await create(client, headers, {"email": SUMSUBS_EMAIL})
    token = await mint(client, headers)
    refused = await client.post("/v1/customers", json={"shareToken": token}, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["pointer"] == "/shareToken"
    assert (await client.get("/v1/customers", headers=headers)).json()["total"] == 1  # nothing created
    retried = await client.post(
        "/v1/customers", json={"shareToken": token, "email": "emily@example.org"}, headers=headers
    )
    assert retried.status_code == 201, retried.text
    assert retried.json()["status"] == "approved"
    assert (await client.get("/v1/customers", headers=headers)).json()["total"] == 2


async def test_a_write_lost_to_a_concurrent_change_resumes_from_the_same_token(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = await create(client, headers)
    token = await mint(client, headers)
    sumsub = HeldImports(app, monkeypatch)  # SumSub is slow: another write lands meanwhile

    async def concurrent_change() -> httpx.Response:
        await sumsub.asked.wait()
        try:
            return await put(client, headers, customer["id"], {"metadata": {"tier": "gold"}})
        finally:
            sumsub.answer()

    versioned = {**headers, "If-Match": '"1"'}
    lost, changed = await asyncio.wait_for(
        asyncio.gather(put(client, versioned, customer["id"], {"shareToken": token}), concurrent_change()), 30
    )
    assert changed.status_code == 200
    assert lost.status_code == 412, lost.text
    retried = await put(
        client, {**headers, "If-Match": changed.headers["ETag"]}, customer["id"], {"shareToken": token}
    )
    assert retried.status_code == 200, retried.text
    assert (retried.json()["status"], retried.json()["metadata"]) == ("approved", {"tier": "gold"})


async def test_only_a_digest_of_the_token_is_kept(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine
) -> None:
    customer = await create(client, headers)
    token = await mint(client, headers)
    assert (await put(client, headers, customer["id"], {"shareToken": token})).status_code == 200
    async with engine.connect() as connection:
        rows: list[Any] = (await connection.execute(select(share_token_imports))).all()
    assert len(rows) == 1
    assert rows[0].customer_id == customer["id"]
    assert rows[0].applied_at is not None
    assert token not in repr(rows)
