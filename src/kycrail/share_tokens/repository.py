"""Every query on share-token imports, each with the tenant predicate.

The token is single-use and spent at the provider before kycrail writes anything; remembering which
applicant it gave lets a retry complete an import whose write failed (a duplicate email, an identity
mismatch fixed in the retry, a lost race) instead of being told the token is used.

The applicant id (the provider's link to the person) is stored sealed under a key derived from the
token itself: only a request carrying the token can read which applicant it gave.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.db import insert_with_conflicts, write_transaction
from kycrail.driver.base import Connection
from kycrail.share_tokens.tables import share_token_imports
from kycrail.vault.envelope import DataKey, context

# Remembered at least this long: far beyond a token's lifetime (SumSub's default is 20 minutes).
RETENTION = timedelta(hours=24)


def token_digest(share_token: str) -> str:
    return hashlib.sha256(share_token.encode()).hexdigest()


def _token_key(share_token: str) -> DataKey:
    derive = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kycrail share-token applicant")
    return DataKey(derive.derive(share_token.encode()))


def _where(share_token: str) -> bytes:
    return context(token_digest(share_token), "share_token_imports.applicant")


@dataclass(frozen=True, slots=True)
class RememberedImport:
    customer_id: str | None
    applicant_id: str
    applied_at: datetime | None


async def find(engine: AsyncEngine, tenant_id: str, share_token: str) -> RememberedImport | None:
    query = select(
        share_token_imports.c.customer_id,
        share_token_imports.c.applicant,
        share_token_imports.c.applied_at,
    ).where(
        share_token_imports.c.tenant_id == tenant_id,
        share_token_imports.c.token_digest == token_digest(share_token),
    )
    async with db.connect(engine) as connection:
        row = (await connection.execute(query)).first()
    if row is None:
        return None
    applicant_id = _token_key(share_token).open(bytes(row.applicant), _where(share_token)).decode()
    return RememberedImport(row.customer_id, applicant_id, row.applied_at)


async def remember(
    engine: AsyncEngine,
    tenant_id: str,
    share_token: str,
    customer_id: str | None,
    applicant_id: str,
    now: datetime,
) -> None:
    """Note the applicant a token gave, before the write that applies it (its own transaction)."""
    statement = insert_with_conflicts(engine.dialect, share_token_imports).values(
        tenant_id=tenant_id,
        token_digest=token_digest(share_token),
        customer_id=customer_id,
        applicant=_token_key(share_token).seal(applicant_id.encode(), _where(share_token)),
        applied_at=None,
        created_at=now,
    )
    async with write_transaction(engine) as connection:
        # A concurrent request with the same token may have noted it first: one row is enough.
        await connection.execute(statement.on_conflict_do_nothing())


async def mark_applied(
    connection: Connection, tenant_id: str, digest: str, customer_id: str, now: datetime
) -> bool:
    """In the write's transaction: the import now belongs to ``customer_id`` for good. False when it
    was applied already, or belongs to another customer (a concurrent request won)."""
    result = await connection.execute(
        update(share_token_imports)
        .where(
            share_token_imports.c.tenant_id == tenant_id,
            share_token_imports.c.token_digest == digest,
            share_token_imports.c.applied_at.is_(None),
            (share_token_imports.c.customer_id.is_(None))
            | (share_token_imports.c.customer_id == customer_id),
        )
        .values(customer_id=customer_id, applied_at=now)
    )
    return result.rowcount == 1


async def prune_any_tenant(engine: AsyncEngine, now: datetime) -> int:
    """Forget every tenant's imports past their retention (maintenance); returns how many."""
    async with write_transaction(engine) as connection:
        result = await connection.execute(
            delete(share_token_imports).where(share_token_imports.c.created_at < now - RETENTION)
        )
    return result.rowcount
