"""The webhook tables: endpoints, their deliveries, and each delivery's attempts."""

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    text,
)

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

_PENDING = text("state = 'pending'")

# One row per (endpoint, message): what must reach that endpoint, and how far it got.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    # Per endpoint and customer, deliveries go out in the order of their ids (dispatch keeps it).
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("endpoint_id", String(36), ForeignKey("webhook_endpoints.id"), nullable=False),
    Column(
        "outbox_id",
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("outbox_events.id"),
        nullable=False,
    ),
    Column("customer_id", String(41), nullable=False),
    Column("message_id", String(64), nullable=False),  # the outbox event id + the dialect's suffix
    Column("event_name", String(60), nullable=False),
    Column("state", String(10), nullable=False),  # pending, delivered, dead
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("leased_until", UtcDateTime, nullable=True),  # a worker is sending it until then
    Column("last_status_code", Integer, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime, nullable=True),
    UniqueConstraint("endpoint_id", "message_id"),
    Index("ix_webhook_deliveries_due", "next_attempt_at", postgresql_where=_PENDING, sqlite_where=_PENDING),
    # The claim reads each endpoint's due deliveries in their order, and stops after as many as it
    # may send (deliveries.claim): its cost follows the endpoints' room, not their backlog.
    Index(
        "ix_webhook_deliveries_endpoint_due",
        "endpoint_id",
        "next_attempt_at",
        "id",
        postgresql_where=_PENDING,
        sqlite_where=_PENDING,
    ),
    Index(
        "ix_webhook_deliveries_order",
        "endpoint_id",
        "customer_id",
        "id",
        postgresql_where=_PENDING,
        sqlite_where=_PENDING,
    ),
    Index("ix_webhook_deliveries_endpoint_id_id", "endpoint_id", "id"),
)

# Every request made (or refused before it was made): the delivery log.
webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column(
        "delivery_id",
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("webhook_deliveries.id"),
        nullable=False,
    ),
    Column("endpoint_id", String(36), nullable=False),
    Column("attempted_at", UtcDateTime, nullable=False),
    Column("status_code", Integer, nullable=True),  # None: no answer (refused URL, timeout, network)
    Column("duration_ms", Integer, nullable=False),
    Column("error", String(200), nullable=True),  # kycrail's words, never the receiver's
    # At most 1 KB of the answer's body, sealed under the data key of the customer the delivery is
    # about (a receiver may echo the payload): unreadable once the customer is shredded. None: no body.
    Column("response_sealed", LargeBinary, nullable=True),
    Index("ix_webhook_attempts_delivery_id_id", "delivery_id", "id"),
    Index("ix_webhook_attempts_endpoint_id_id", "endpoint_id", "id"),
)
