"""The share-token imports ledger: tenant-scoped, applied once, forgotten after its retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.db import utc_now, write_transaction
from kycrail.share_tokens import repository as share_tokens
from kycrail.share_tokens.tables import share_token_imports
from kycrail.tenants import service as tenants
from kycrail.vault.envelope import CannotOpen

TOKEN = "_act-jwt-token"


async def test_an_import_is_applied_once_to_its_customer_and_seen_only_by_its_tenant(
    engine: AsyncEngine,
) -> None:
    acme = (await tenants.create_key(engine, "acme")).record.tenant_id
    globex = (await tenants.create_key(engine, "globex")).record.tenant_id
    digest = share_tokens.token_digest(TOKEN)
    assert digest != share_tokens.token_digest("_act-jwt-other")
    await share_tokens.remember(engine, acme, TOKEN, "customer_1", "applicant-1", utc_now())
    await share_tokens.remember(engine, acme, TOKEN, "customer_1", "applicant-1", utc_now())  # no error
    assert await share_tokens.find(engine, globex, TOKEN) is None
    remembered = await share_tokens.find(engine, acme, TOKEN)
    assert remembered == share_tokens.RememberedImport("customer_1", "applicant-1", None)
    async with write_transaction(engine) as connection:
        assert not await share_tokens.mark_applied(connection, acme, digest, "customer_2", utc_now())
        assert not await share_tokens.mark_applied(connection, globex, digest, "customer_1", utc_now())
        assert await share_tokens.mark_applied(connection, acme, digest, "customer_1", utc_now())
        assert not await share_tokens.mark_applied(connection, acme, digest, "customer_1", utc_now())
    applied = await share_tokens.find(engine, acme, TOKEN)
    assert applied is not None
    assert applied.applied_at is not None


async def test_an_import_for_a_customer_being_created_binds_to_the_one_that_applies_it(
    engine: AsyncEngine,
) -> None:
    acme = (await tenants.create_key(engine, "acme")).record.tenant_id
    digest = share_tokens.token_digest(TOKEN)
    await share_tokens.remember(engine, acme, TOKEN, None, "applicant-1", utc_now())
    async with write_transaction(engine) as connection:
        assert await share_tokens.mark_applied(connection, acme, digest, "customer_9", utc_now())
    bound = await share_tokens.find(engine, acme, TOKEN)
    assert bound is not None
    assert (bound.customer_id, bound.applicant_id) == ("customer_9", "applicant-1")


async def test_the_applicant_is_stored_sealed_under_a_key_only_the_token_gives(engine: AsyncEngine) -> None:
    acme = (await tenants.create_key(engine, "acme")).record.tenant_id
    await share_tokens.remember(engine, acme, TOKEN, None, "applicant-1", utc_now())
    async with engine.connect() as connection:
        (sealed,) = (await connection.execute(select(share_token_imports.c.applicant))).scalars().all()
    assert b"applicant-1" not in sealed
    with pytest.raises(CannotOpen):  # another token (even one sharing a prefix) cannot read it
        share_tokens._token_key(TOKEN + "x").open(sealed, share_tokens._where(TOKEN))


async def test_imports_past_their_retention_are_pruned(engine: AsyncEngine) -> None:
    acme = (await tenants.create_key(engine, "acme")).record.tenant_id
    now = utc_now()
    old, recent = share_tokens.token_digest("old"), share_tokens.token_digest("recent")
    long_ago = now - share_tokens.RETENTION - timedelta(days=1)
    await share_tokens.remember(engine, acme, old, None, "applicant-1", long_ago)
    await share_tokens.remember(engine, acme, recent, None, "applicant-2", now - timedelta(hours=1))
    assert await share_tokens.prune_any_tenant(engine, now) == 1
    assert await share_tokens.find(engine, acme, old) is None
    assert await share_tokens.find(engine, acme, recent) is not None
