"""The outbox table: one row per customer event, appended with the write that made it."""

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, text

from kycrail.db import UtcDateTime, metadata

outbox_events = Table(
    "outbox_events",
    metadata,
    # The commit order of a customer's events is the order of their ids (its writes hold its row lock).
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),  # "evt_" + 32 hex, the public id
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("customer_id", String(41), ForeignKey("customers.id"), nullable=False),
    Column("kind", String(40), nullable=False),  # the audit trail's kind: customer.created, ...
    Column("customer_type", String(20), nullable=False),
    Column("status_before", String(20), nullable=True),  # None: the customer did not exist
    Column("status_after", String(20), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    # The customer as the write left it, sealed under its data key; None once it holds nothing to send
    # (an erasure). A shredded customer's snapshots no longer open: nothing personal goes out after.
    Column("snapshot", LargeBinary, nullable=True),
    # Set once the webhook worker has made the event's deliveries (none, if no endpoint wants it).
    Column("dispatched_at", UtcDateTime, nullable=True),
    Index("ix_outbox_events_tenant_id_id", "tenant_id", "id"),
    Index("ix_outbox_events_customer_id_id", "customer_id", "id"),
    Index(
        "ix_outbox_events_undispatched",
        "id",
        postgresql_where=text("dispatched_at IS NULL"),
        sqlite_where=text("dispatched_at IS NULL"),
    ),
)
