"""Rewrap every data key under the newest KEK, without touching the data the keys seal.

Safe while serving: each key is replaced only if its row is unchanged since it was read (a customer
shredded meanwhile stays shredded), and readers open either wrapping, as long as their key ring holds
both KEKs. Resumable: a run picks up whatever is still under an older KEK.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.db import write_transaction
from kycrail.vault import repository
from kycrail.vault.vault import Vault


@dataclass(frozen=True, slots=True)
class RewrapReport:
    rewrapped: int
    skipped: int  # shredded or rewrapped by someone else between the read and the write


async def rewrap_all(
    engine: AsyncEngine, vault: Vault, *, batch: int = 500, progress: Callable[[int], None] | None = None
) -> RewrapReport:
    newest = vault.ring.newest.id
    rewrapped = skipped = 0
    after = ""
    while True:
        async with db.connect(engine) as connection:
            found = await repository.not_under_any_tenant(connection, newest, after=after, limit=batch)
        if not found:
            return RewrapReport(rewrapped, skipped)
        # Unwrapping and wrapping may call a KMS: done before the write transaction, not inside it.
        replacements = [
            (tenant, customer, old, await vault.rewrapped(tenant, customer, old))
            for tenant, customer, old in found
        ]
        async with write_transaction(engine) as connection:
            for tenant, customer, old, new in replacements:
                if await repository.replace_if_unchanged(connection, tenant, customer, old, new):
                    rewrapped += 1
                else:
                    skipped += 1
        after = found[-1][1]
        if progress is not None:
            progress(rewrapped)
