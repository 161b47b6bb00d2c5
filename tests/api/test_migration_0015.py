"""Migration 0015 puts the emails stored before it (in whatever Unicode form a client sent) in NFC, with
their blind index of that form; an address another live customer of the tenant already holds in that
form is left as it was, and the upgrade goes on (on SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from kycrail import migrate
from kycrail.customers import repository
from kycrail.customers.tables import customers
from kycrail.db import write_transaction
from kycrail.storage import Storage
from kycrail.vault.tables import data_keys
from tests.api.calls import create, stored

COMPOSED = "josé.x@example.com"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)
ZOE, ZOE_DECOMPOSED = "zoë@example.com", "zoe\u0308@example.com"
# One address, "phuộng", in two unnormalised forms (the marks of "ộ" in either order) and composed.
PHUONG_MARKS_ABOVE_FIRST = "phuo\u0302\u0323ng@example.com"
PHUONG_MARKS_BELOW_FIRST = "phuo\u0323\u0302ng@example.com"
PHUONG = "phu\u1ed9ng@example.com"


async def _as_written_before(storage: Storage, customer_id: str, tenant_id: str, email: str) -> None:
    """The customer's email as releases before 0015 stored it: in the form sent, indexed in that form."""
    async with write_transaction(storage.engine) as connection:
        current = await repository.get(connection, storage.vault, tenant_id, customer_id, for_update=True)
        assert current is not None
        older = replace(current, email=email, version=current.version + 1)
        assert await repository.update_if_version(connection, storage.vault, older, current.version)


async def _row(storage: Storage, customer_id: str) -> dict[str, Any]:
    async with storage.engine.connect() as connection:
        row = (await connection.execute(sa.select(customers).where(customers.c.id == customer_id))).one()
    return dict(row._mapping)


async def _lose_the_kek_of(storage: Storage, customer_id: str) -> None:
    """The customer's data key, wrapped under a KEK the key ring no longer holds."""
    async with storage.engine.begin() as connection:
        lost = (
            data_keys.update().where(data_keys.c.customer_id == customer_id).values(kek_id="kek_retired_lost")
        )
        await connection.execute(lost)
    storage.vault.forget(customer_id)


def _before_0015() -> str:
    revision = ScriptDirectory.from_config(migrate.alembic_config()).get_revision("0015")
    assert revision is not None
    down = revision.down_revision
    assert isinstance(down, str)
    return down


async def _ids(client: httpx.AsyncClient, headers: dict[str, str], email: str) -> list[str]:
    response = await client.get("/v2/customer", params={"email": email}, headers=headers)
    assert response.status_code == 200, response.text
    return [customer["id"] for customer in response.json()["customers"]]


@pytest.mark.slow
async def test_0015_puts_earlier_emails_in_one_normal_form(
    client: httpx.AsyncClient,
    storage: Storage,
    headers: dict[str, str],
    other_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    old = await create(client, headers, {"email": COMPOSED})
    holder = await create(client, headers, {"email": ZOE})  # already in normal form
    contender = await create(client, headers, {"email": "zoe.later@example.com"})
    elsewhere = await create(client, other_headers, {"email": ZOE})  # another tenant: no contest
    deleted = await create(client, headers, {"email": "ana@example.com"})
    # Two unnormalised forms of one address: the older customer takes it.
    first, second = [await create(client, headers, {"email": f"n{n}@example.com"}) for n in (1, 2)]
    ascii_only = await create(client, headers, {"email": "plain@example.com"})
    sealed_away = await create(client, headers, {"email": "eve@example.com"})  # its KEK is gone
    tenant, other_tenant = (
        (await _row(storage, old["id"]))["tenant_id"],
        (await _row(storage, elsewhere["id"]))["tenant_id"],
    )
    await _as_written_before(storage, old["id"], tenant, DECOMPOSED)
    await _as_written_before(storage, contender["id"], tenant, ZOE_DECOMPOSED)
    await _as_written_before(storage, elsewhere["id"], other_tenant, ZOE_DECOMPOSED)
    await _as_written_before(storage, deleted["id"], tenant, "a\u0301na@example.com")
    await _as_written_before(storage, first["id"], tenant, PHUONG_MARKS_ABOVE_FIRST)
    await _as_written_before(storage, second["id"], tenant, PHUONG_MARKS_BELOW_FIRST)
    await _as_written_before(storage, sealed_away["id"], tenant, "e\u0300ve@example.com")
    await _lose_the_kek_of(storage, sealed_away["id"])
    assert (await client.delete(f"/v1/customers/{deleted['id']}", headers=headers)).status_code == 204
    # Before the migration, a decomposed address stored so is found by no query (queries are NFC now).
    assert await _ids(client, headers, DECOMPOSED) == []
    untouched = {
        customer_id: await _row(storage, customer_id)
        for customer_id in [c["id"] for c in (holder, contender, deleted, ascii_only, second, sealed_away)]
    }
    version = (await _row(storage, old["id"]))["version"]

    await migrate.downgrade(storage.engine, _before_0015())
    with caplog.at_level(logging.WARNING):
        await migrate.upgrade(storage.engine, key_ring=lambda: storage.vault.ring)

    normalised = await stored(storage, old["id"])
    assert normalised["email"] == COMPOSED
    assert normalised["email_index"] == storage.vault.blind_index.email(tenant, COMPOSED)
    assert normalised["version"] == version + 1  # its answer changed: so does its ETag
    assert await _ids(client, headers, DECOMPOSED) == [old["id"]]
    assert (await client.get(f"/v1/customers/{old['id']}", headers=headers)).json()["email"] == COMPOSED
    elsewhere_now = await stored(storage, elsewhere["id"])
    assert elsewhere_now["email"] == ZOE
    # The contested address stays the holder's; the contender is left exactly as it was, and named.
    for customer_id, row in untouched.items():
        assert await _row(storage, customer_id) == row, customer_id
    assert (await stored(storage, contender["id"]))["email"] == ZOE_DECOMPOSED
    assert await _ids(client, headers, ZOE) == [holder["id"]]
    contested, unreadable = [
        record.getMessage() for record in caplog.records if record.levelno == logging.WARNING
    ]
    assert contender["id"] in contested
    assert second["id"] in contested
    assert "another live customer" in contested
    assert sealed_away["id"] in unreadable
    assert "key ring cannot open" in unreadable
    assert (await stored(storage, first["id"]))["email"] == PHUONG
    assert await _ids(client, headers, PHUONG_MARKS_BELOW_FIRST) == [first["id"]]
    assert "@" not in contested + unreadable  # never an address
    # The contender's own write puts its email in the normal form, and is refused as the duplicate it is.
    resent = await client.put(f"/v1/customers/{contender['id']}", json={"email": ZOE}, headers=headers)
    assert resent.status_code == 409, resent.text
    assert resent.json()["code"] == "customer_duplicate_contact"
