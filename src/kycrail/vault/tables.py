"""The data keys table: each customer's data key, wrapped by a KEK. Deleting a row shreds the customer."""

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, String, Table

from kycrail.db import UtcDateTime, metadata

data_keys = Table(
    "data_keys",
    metadata,
    Column("customer_id", String(41), ForeignKey("customers.id"), primary_key=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("kek_id", String(64), nullable=False),  # the KEK that wrapped it
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # The rewrap finds the keys still under an older KEK, in batches.
    Index("ix_data_keys_kek_id_customer_id", "kek_id", "customer_id"),
)
