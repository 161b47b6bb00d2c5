"""The documents table: the files customers upload (the customer row keeps a summary of each).

Documents imported from SumSub are not rows here: kycrail holds no bytes of them (SumSub keeps the
file), so they live only in the customer's document summary, as references.
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
    Column("source", String(20), nullable=False),  # "upload": how the file came (the only way today)
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
