"""Reading documents back: a customer's list, one document, its file. Each is the tenant's own (another
tenant's id is not found), of a live customer; reading a file is on the customer's audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from kycrail import db
from kycrail.customers import repository as customers_repository
from kycrail.customers import service as customers
from kycrail.customers.audit import Actor, EventKind
from kycrail.customers.model import Customer, DocumentStatus
from kycrail.documents import repository
from kycrail.documents.repository import StoredDocument
from kycrail.driver.base import Connection
from kycrail.errors import NotFound
from kycrail.storage import Storage

DOCUMENT_NOT_FOUND = "Document not found"


@dataclass(frozen=True, slots=True)
class DocumentView:
    """A stored file and where its review stands (the customer's summary of it)."""

    document: StoredDocument
    status: DocumentStatus


def _status(customer: Customer, document: StoredDocument) -> DocumentStatus:
    """The summary's status of the document (a provider's file: of the document it is a page of)."""
    summary_id = document.part_of or document.id
    for summary in customer.documents:
        if summary.id == summary_id:
            return summary.status
    return DocumentStatus.pending  # not in the summary: a write in flight added it


async def _live_customer(
    connection: Connection, storage: Storage, tenant_id: str, customer_id: str
) -> Customer:
    customer = await customers_repository.get(connection, storage.vault, tenant_id, customer_id)
    if customer is None:
        raise NotFound(customers.CUSTOMER_NOT_FOUND)
    return customer


async def page_of_customer(
    storage: Storage, tenant_id: str, customer_id: str, *, limit: int, offset: int
) -> tuple[list[DocumentView], int]:
    """One page of a live customer's documents, oldest first, and how many it has."""
    async with db.connect(storage.engine) as connection:
        customer = await _live_customer(connection, storage, tenant_id, customer_id)
        found, total = await repository.page_of_customer(
            connection, tenant_id, customer_id, limit=limit, offset=offset
        )
    return [DocumentView(document, _status(customer, document)) for document in found], total


async def one(storage: Storage, tenant_id: str, document_id: str) -> DocumentView:
    async with db.connect(storage.engine) as connection:
        document = await repository.find(connection, tenant_id, document_id)
        if document is None:
            raise NotFound(DOCUMENT_NOT_FOUND)
        try:
            customer = await _live_customer(connection, storage, tenant_id, document.customer_id)
        except NotFound:
            raise NotFound(DOCUMENT_NOT_FOUND) from None  # its customer is deleted: so is the document
    return DocumentView(document, _status(customer, document))


async def read_file(storage: Storage, actor: Actor, document_id: str) -> tuple[StoredDocument, bytes]:
    """The file, opened; the read is an audit event (``document.read``, naming the key or person).
    Which customer's it is, then ``customers.read_document`` (which reads the live customer once)."""
    async with db.connect(storage.engine) as connection:
        document = await repository.find(connection, actor.tenant_id, document_id)
    if document is None:
        raise NotFound(DOCUMENT_NOT_FOUND)
    try:
        return await customers.read_document(
            storage, actor, document.customer_id, document_id, kind=EventKind.document_read
        )
    except NotFound:
        raise NotFound(DOCUMENT_NOT_FOUND) from None  # its customer is deleted: so is the document
