"""The idempotency keys table, shared by every API process (the database is the only coordinator)."""

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table

from kycrail.db import Json, UtcDateTime, metadata

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("tenant_id", String(40), primary_key=True),
    Column("key", String(255), primary_key=True),
    # SHA-256 of method, path, query and body: the same key with another request is a conflict.
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(12), nullable=False),  # "running" or "completed"
    Column("status_code", Integer, nullable=True),
    Column("response_headers", Json, nullable=True),
    # The customer the answer is about: its body is then sealed under that customer's data key (it is
    # personal data), and is replayed only while the customer is live.
    Column("customer_id", String(41), nullable=True),
    Column("response_body", LargeBinary, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_idempotency_keys_created_at", "created_at"),
)
