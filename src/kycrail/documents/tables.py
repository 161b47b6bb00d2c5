"""The documents table: the files kycrail holds of customers' documents, sealed.

A file a customer uploads is a document of its own (the customer row keeps a summary of each, with
its status). A file fetched from the KYC provider (``source`` its name) is a page of a document the
provider verified, which the customer's summary names (``part_of``): it takes that document's status.
"""

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, String, Table

from kycrail.db import UtcDateTime, metadata

documents = Table(
    "documents",
    metadata,
    Column("id", String(41), primary_key=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("customer_id", String(41), ForeignKey("customers.id"), nullable=False),
    Column("document_type", String(40), nullable=False),
    Column("country", String(3), nullable=True),
    Column("content_type", String(100), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("content", LargeBinary, nullable=True),  # the file, sealed under its customer's data key
    # ...or the object holding it so sealed, when the files are in an object store (documents/store.py).
    Column("object_key", String(300), nullable=True),
    Column("source", String(20), nullable=False),  # "upload", or the provider it was fetched from
    # The summary's document this file is a page of (a provider's file); None: a document itself.
    Column("part_of", String(41), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # The file's blind index (vault/blind_index.document): the same file twice on a customer is refused.
    Column("content_index", LargeBinary, nullable=True),  # None: stored before it was kept
    Index("ix_documents_tenant_id_customer_id", "tenant_id", "customer_id"),
    Index(
        "uq_documents_tenant_id_customer_id_content_index",
        "tenant_id",
        "customer_id",
        "content_index",
        unique=True,
    ),
)
