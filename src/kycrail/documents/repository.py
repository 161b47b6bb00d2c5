"""Every query on documents, each with the tenant predicate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from kycrail.documents.tables import documents


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    tenant_id: str
    customer_id: str
    document_type: str
    country: str | None
    content_type: str
    size_bytes: int
    sha256: str
    source: str
    created_at: datetime


async def insert(connection: AsyncConnection, document: StoredDocument, content: bytes) -> None:
    await connection.execute(
        documents.insert().values(
            id=document.id,
            tenant_id=document.tenant_id,
            customer_id=document.customer_id,
            document_type=document.document_type,
            country=document.country,
            content_type=document.content_type,
            size_bytes=document.size_bytes,
            sha256=document.sha256,
            content=content,
            source=document.source,
            created_at=document.created_at,
        )
    )


async def erase_contents(connection: AsyncConnection, tenant_id: str, customer_id: str) -> None:
    """Drop the files of a deleted customer; the rows (type, size, hash, dates) stay as history."""
    await connection.execute(
        update(documents)
        .where(documents.c.tenant_id == tenant_id, documents.c.customer_id == customer_id)
        .values(content=None)
    )
