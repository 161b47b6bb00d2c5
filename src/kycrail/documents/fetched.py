"""Files fetched from the KYC provider, kept as the customer's documents (``source`` the provider's
name): checked as an upload is, sealed under the customer's data key, in the row or the object store.

A fetched file changes nothing of the customer (the provider's document is in its summary already,
with its status): it is a page of that document (``part_of``), and its arrival is on the customer's
audit trail (``document.fetched``). Its id comes from the customer and the provider's name for the
file, so the same file is never kept twice, whichever process fetched it.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from dataclasses import dataclass

from kycrail.customers import repository as customers_repository
from kycrail.customers import service as customers
from kycrail.customers.audit import Actor, EventKind
from kycrail.customers.domain import imported_document_id
from kycrail.customers.model import Customer
from kycrail.customers.provider import ProviderImage
from kycrail.db import utc_now, write_transaction
from kycrail.documents import repository
from kycrail.documents.content import checked_content_type
from kycrail.documents.repository import Sealed, StoredDocument, sealed_at
from kycrail.errors import DocumentStoreUnavailable, KycrailError, PayloadTooLarge
from kycrail.storage import Storage
from kycrail.vault.envelope import DataKey

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int
    max_pixels: int


def document_id_of(customer_id: str, image: ProviderImage) -> str:
    return imported_document_id(customer_id, image.reference)


def part_of(customer: Customer, image: ProviderImage) -> str | None:
    """The customer's document (in its summary) the file is a page of, if the summary has it."""
    if image.document_reference is None:
        return None
    document_id = imported_document_id(customer.id, image.document_reference)
    return document_id if any(d.id == document_id for d in customer.documents) else None


def fits(image: ProviderImage, limits: Limits) -> bool:
    """Whether the provider's listing leaves the file worth fetching (its size, when it says it)."""
    return image.size_bytes is None or image.size_bytes <= limits.max_bytes


async def keep(
    storage: Storage,
    actor: Actor,
    customer: Customer,
    key: DataKey,
    image: ProviderImage,
    content: bytes,
    limits: Limits,
) -> bool:
    """Keep one fetched file, sealed under the customer's data key ``key``; False when it is not kept:
    not a file kycrail takes (its type, its size, its pixels: logged by the provider's name for it,
    never its content), one the customer has already, or a customer no longer live."""
    try:
        if len(content) > limits.max_bytes:
            raise PayloadTooLarge(f"{len(content):,} bytes, past the limit of {limits.max_bytes:,}")
        content_type = checked_content_type(content, max_pixels=limits.max_pixels)
    except KycrailError as refused:
        log.warning("a provider's file (%s) is not kept: %s", image.reference, refused.detail)
        return False
    stored = StoredDocument(
        id=document_id_of(customer.id, image),
        tenant_id=actor.tenant_id,
        customer_id=customer.id,
        document_type=image.type.value,
        country=image.country,
        content_type=content_type,
        size_bytes=len(content),
        source=actor.key_prefix,
        created_at=utc_now(),
        part_of=part_of(customer, image),
    )
    content_index = storage.vault.blind_index.document(actor.tenant_id, customer.id, content)
    sealed = key.seal(content, sealed_at(stored))

    async def write(where: Sealed) -> bool:
        async with write_transaction(storage.engine) as connection:
            live = await customers_repository.get(
                connection, storage.vault, actor.tenant_id, customer.id, for_update=True
            )
            if live is None or await repository.held(connection, stored, content_index):
                return False
            await repository.insert(connection, stored, where, content_index)
            changes = [{"field": "document", "to": stored.id}]
            await customers.on_the_record(connection, actor, customer.id, EventKind.document_fetched, changes)
        return True

    store = storage.document_store
    if store is None:
        return await write(Sealed(content=sealed))
    # A key of its own per attempt: two processes fetching the same file never take back each other's.
    object_key = store.key_of(actor.tenant_id, customer.id, f"{stored.id}.{uuid.uuid4().hex[:12]}")
    async with store.holding(object_key, sealed):
        kept = await write(Sealed(object_key=object_key))
    if not kept:  # not needed after all; the store down: the sweep takes it
        with contextlib.suppress(DocumentStoreUnavailable):
            await store.delete([object_key])
    return kept
