"""The data keys table: a rewrap never resurrects a shredded key, nor undoes another run's."""

from __future__ import annotations

import httpx

from kycrail.db import write_transaction
from kycrail.storage import Storage
from kycrail.vault import repository
from kycrail.vault.vault import WrappedKey
from tests.conftest import KeyFactory
from tests.factories import jane


async def test_a_rewrapped_key_replaces_only_the_one_it_was_made_from(
    client: httpx.AsyncClient, make_key: KeyFactory, storage: Storage
) -> None:
    headers = {"Authorization": f"Bearer {await make_key()}"}
    customer_id = (await client.post("/v2/customer", json=jane(), headers=headers)).json()["id"]
    async with storage.engine.connect() as connection:
        found = await repository.not_under_any_tenant(connection, "kek_none", after="", limit=10)
    assert [entry[1] for entry in found] == [customer_id]
    tenant_id, _, original = found[0]
    rewrapped = await storage.vault.rewrapped(tenant_id, customer_id, original)
    stale = WrappedKey(original.kek_id, b"\x00" * len(original.wrapped))
    async with write_transaction(storage.engine) as connection:
        assert not await repository.replace_if_unchanged(connection, tenant_id, customer_id, stale, rewrapped)
        assert not await repository.replace_if_unchanged(
            connection, "tenant_other", customer_id, original, rewrapped
        )
        assert await repository.replace_if_unchanged(connection, tenant_id, customer_id, original, rewrapped)
        await repository.destroy(connection, tenant_id, customer_id)
        # Shredded meanwhile: a late rewrap finds nothing to replace, and nothing comes back.
        assert not await repository.replace_if_unchanged(
            connection, tenant_id, customer_id, rewrapped, rewrapped
        )
        assert await repository.get(connection, tenant_id, customer_id) is None
