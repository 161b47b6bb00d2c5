"""Every query on documents, each with the tenant predicate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from kycrail.documents.tables import documents
from kycrail.driver.base import Connection
from kycrail.vault.envelope import DataKey, context


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    tenant_id: str
    customer_id: str
    document_type: str
    country: str | None
    content_type: str
    size_bytes: int
    source: str
    created_at: datetime


def _where(document: StoredDocument) -> bytes:
    return context(document.customer_id, f"documents.{document.id}.content")


async def insert(connection: Connection, key: DataKey, document: StoredDocument, content: bytes) -> None:
    """The file is stored sealed under its customer's data key."""
    await connection.execute(
        documents.insert().values(
            id=document.id,
            tenant_id=document.tenant_id,
            customer_id=document.customer_id,
            document_type=document.document_type,
            country=document.country,
            content_type=document.content_type,
            size_bytes=document.size_bytes,
            content=key.seal(content, _where(document)),
            source=document.source,
            created_at=document.created_at,
        )
    )


async def delete_for_customer(connection: Connection, tenant_id: str, customer_id: str) -> None:
    """A shredded customer's documents go whole (their sealed files no longer open anyway)."""
    await connection.execute(
        delete(documents).where(documents.c.tenant_id == tenant_id, documents.c.customer_id == customer_id)
    )


async def read(
    connection: Connection, key: DataKey, tenant_id: str, customer_id: str, document_id: str
) -> tuple[StoredDocument, bytes] | None:
    """A customer's uploaded document and its file, opened; None if the customer has no such file."""
    d = documents.c
    query = select(documents).where(
        d.tenant_id == tenant_id, d.customer_id == customer_id, d.id == document_id
    )
    row = (await connection.execute(query)).first()
    if row is None or row.content is None:
        return None
    values = {name: value for name, value in row._mapping.items() if name != "content"}
    document = StoredDocument(**values)
    return document, key.open(bytes(row.content), _where(document))


async def content_types(connection: Connection, tenant_id: str, customer_id: str) -> dict[str, str]:
    """Each of a customer's uploaded files' content type, by document id (what a page shows it as)."""
    d = documents.c
    query = select(d.id, d.content_type).where(d.tenant_id == tenant_id, d.customer_id == customer_id)
    return {row.id: row.content_type for row in await connection.execute(query)}
