"""Tables for tenants and API keys."""

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table

from kycrail.db import UtcDateTime, metadata

tenants = Table(
    "tenants",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    # The first 12 characters of the key: shown in listings and logs, used to find the row.
    Column("prefix", String(12), primary_key=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    # Hex SHA-256 of the whole key; the key itself is never stored.
    Column("key_hash", String(64), nullable=False),
    Column("role", String(20), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    CheckConstraint("role IN ('api', 'reviewer', 'admin')", name="role"),
    Index("ix_api_keys_tenant_id", "tenant_id"),
)
