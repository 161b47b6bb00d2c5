"""The webhook endpoints table."""

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, String, Table, text

from kycrail.db import Json, UtcDateTime, metadata

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(36), primary_key=True),  # "whk_" + 32 hex
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("dialect", String(20), nullable=False),  # "sphere" or "swipelux": the payloads' shape
    Column("name", String(200), nullable=True),  # Sphere's; Swipelux endpoints have none
    Column("url", String(2048), nullable=False),
    Column("events", Json, nullable=False),  # the dialect's event names, or ["*"]
    # The signing secret, wrapped by a KEK like a data key (it must be read back to sign).
    Column("secret_kek_id", String(64), nullable=False),
    Column("secret_wrapped", LargeBinary, nullable=False),
    Column("status", String(20), nullable=False),  # healthy, degraded, failing, disabled
    Column("created_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    Index(
        "ix_webhook_endpoints_tenant_id",
        "tenant_id",
        "created_at",
        postgresql_where=text("deleted_at IS NULL"),
        sqlite_where=text("deleted_at IS NULL"),
    ),
)
