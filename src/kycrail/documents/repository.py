"""Every query on documents, each with the tenant predicate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from kycrail.documents.tables import documents
from kycrail.driver.base import Connection
from kycrail.vault.envelope import context


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    tenant_id: str
    customer_id: str
    document_type: str
    country: str | None
    content_type: str
    size_bytes: int
    source: str  # "upload", or the provider it was fetched from
    created_at: datetime
    part_of: str | None = None  # a provider's file: the customer's document it is a page of


def sealed_at(document: StoredDocument) -> bytes:
    """Where a document's file is sealed (the envelope's context): the same in the table or a store."""
    return context(document.customer_id, f"documents.{document.id}.content")


async def held(connection: Connection, document: StoredDocument, content_index: bytes) -> bool:
    """Whether a file is held already: this very document, or the same bytes on its customer."""
    d = documents.c
    query = select(d.id).where(
        d.tenant_id == document.tenant_id,
        d.customer_id == document.customer_id,
        (d.id == document.id) | (d.content_index == content_index),
    )
    return (await connection.execute(query.limit(1))).first() is not None


async def has_content(connection: Connection, tenant_id: str, customer_id: str, content_index: bytes) -> bool:
    """Whether the customer has this very file already (by its blind index)."""
    d = documents.c
    query = select(d.id).where(
        d.tenant_id == tenant_id, d.customer_id == customer_id, d.content_index == content_index
    )
    return (await connection.execute(query.limit(1))).first() is not None


@dataclass(frozen=True, slots=True)
class Sealed:
    """Where a document's sealed file is: in the row (``content``) or in the object store (``object_key``)."""

    content: bytes | None = None
    object_key: str | None = None


async def insert(
    connection: Connection, document: StoredDocument, sealed: Sealed, content_index: bytes
) -> None:
    """The document, its file sealed under its customer's data key (in the row, or named in the store),
    with its blind index."""
    await connection.execute(
        documents.insert().values(
            id=document.id,
            tenant_id=document.tenant_id,
            customer_id=document.customer_id,
            document_type=document.document_type,
            country=document.country,
            content_type=document.content_type,
            size_bytes=document.size_bytes,
            content=sealed.content,
            object_key=sealed.object_key,
            content_index=content_index,
            source=document.source,
            created_at=document.created_at,
            part_of=document.part_of,
        )
    )


async def object_keys_of(connection: Connection, tenant_id: str, customer_id: str) -> list[str]:
    """The store's objects holding a customer's files (none when they are in the table)."""
    d = documents.c
    query = select(d.object_key).where(
        d.tenant_id == tenant_id, d.customer_id == customer_id, d.object_key.is_not(None)
    )
    return [row.object_key for row in await connection.execute(query)]


async def known_object_keys(connection: Connection, keys: list[str]) -> set[str]:
    """Which of these store objects a document row names (any tenant: the sweep is the service's)."""
    if not keys:
        return set()
    query = select(documents.c.object_key).where(documents.c.object_key.in_(keys))
    return {row.object_key for row in await connection.execute(query)}


async def delete_for_customer(connection: Connection, tenant_id: str, customer_id: str) -> None:
    """A shredded customer's documents go whole (their sealed files no longer open anyway)."""
    await connection.execute(
        delete(documents).where(documents.c.tenant_id == tenant_id, documents.c.customer_id == customer_id)
    )


async def locate(
    connection: Connection, tenant_id: str, customer_id: str, document_id: str
) -> tuple[StoredDocument, Sealed] | None:
    """A customer's uploaded document and where its sealed file is; None if it has no such file."""
    d = documents.c
    query = select(*_FIELDS, d.content, d.object_key).where(
        d.tenant_id == tenant_id, d.customer_id == customer_id, d.id == document_id
    )
    row = (await connection.execute(query)).first()
    if row is None or (row.content is None and row.object_key is None):
        return None
    content = bytes(row.content) if row.content is not None else None
    return _stored(row), Sealed(content, row.object_key)


@dataclass(frozen=True, slots=True)
class HeldFile:
    """A file kycrail holds of a customer's document (what a page shows it as, not its bytes)."""

    id: str
    content_type: str
    summary_id: str  # the customer's document it belongs to: itself, or the one it is a page of


async def files_of(connection: Connection, tenant_id: str, customer_id: str) -> list[HeldFile]:
    """Every file held of a customer's documents, oldest first."""
    d = documents.c
    query = (
        select(d.id, d.content_type, d.part_of)
        .where(d.tenant_id == tenant_id, d.customer_id == customer_id)
        .order_by(d.created_at, d.id)
    )
    return [
        HeldFile(row.id, row.content_type, row.part_of or row.id) for row in await connection.execute(query)
    ]


_FIELDS = (
    documents.c.id,
    documents.c.tenant_id,
    documents.c.customer_id,
    documents.c.document_type,
    documents.c.country,
    documents.c.content_type,
    documents.c.size_bytes,
    documents.c.source,
    documents.c.created_at,
    documents.c.part_of,
)


def _stored(row: object) -> StoredDocument:
    mapping = row._mapping  # type: ignore[attr-defined]
    return StoredDocument(**{column.name: mapping[column.name] for column in _FIELDS})


async def find(connection: Connection, tenant_id: str, document_id: str) -> StoredDocument | None:
    """One of the tenant's documents, by its id alone (what the file is, not the file)."""
    d = documents.c
    row = (
        await connection.execute(select(*_FIELDS).where(d.tenant_id == tenant_id, d.id == document_id))
    ).first()
    return _stored(row) if row is not None else None


async def page_of_customer(
    connection: Connection, tenant_id: str, customer_id: str, *, limit: int, offset: int
) -> tuple[list[StoredDocument], int]:
    """One page of a customer's documents, oldest first, and how many it has."""
    d = documents.c
    mine = (d.tenant_id == tenant_id, d.customer_id == customer_id)
    query = select(*_FIELDS).where(*mine).order_by(d.created_at, d.id).limit(limit).offset(offset)
    rows = (await connection.execute(query)).all()
    total = (await connection.execute(select(func.count()).select_from(documents).where(*mine))).scalar_one()
    return [_stored(row) for row in rows], int(total)
