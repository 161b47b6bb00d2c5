"""The share-token imports table: one row per token a tenant imported, kept for at least 24 hours."""

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, String, Table

from kycrail.db import UtcDateTime, metadata

share_token_imports = Table(
    "share_token_imports",
    metadata,
    Column("tenant_id", String(40), ForeignKey("tenants.id"), primary_key=True),
    # SHA-256 of the token: the token itself is a bearer credential and is never stored.
    Column("token_digest", String(64), primary_key=True),
    # The customer the import was for; None when it was for a customer being created (not yet stored).
    Column("customer_id", String(41), nullable=True),
    # The applicant the provider created for us when the token was spent, sealed under a key derived
    # from the token: an import whose write failed resumes from it.
    Column("applicant", LargeBinary, nullable=False),
    Column("applied_at", UtcDateTime, nullable=True),  # None: fetched, not (yet) applied
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_share_token_imports_created_at", "created_at"),
)
