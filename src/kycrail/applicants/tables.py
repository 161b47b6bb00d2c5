"""The applicants kycrail follows at a KYC provider, and the provider's notifications about them."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    text,
)

from kycrail.db import UtcDateTime, metadata

_OPEN = text("final = false")
_UNPROCESSED = text("processed_at IS NULL")

# One row per customer whose provider applicant kycrail follows (a verification link or a share-token
# import made it). No applicant id in clear: ``applicant_index`` is its keyed blind index (vault), what
# a webhook about it is matched with; the id itself is in the customer's sealed personal data.
provider_applicants = Table(
    "provider_applicants",
    metadata,
    Column("customer_id", String(41), ForeignKey("customers.id"), primary_key=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("provider", String(20), nullable=False),
    Column("applicant_index", LargeBinary, nullable=False, unique=True),
    Column("review_state", String(20), nullable=False),  # customers.provider.ReviewState
    # Nothing more to wait for: approved, or rejected for good. Reconciliation reads only open ones.
    Column("final", Boolean, nullable=False),
    # The applied reading's review date and its digest: an older reading is never applied over it,
    # the same one never twice (a webhook delivered again, several processes reading at once).
    Column("reviewed_at", UtcDateTime, nullable=True),
    Column("state_digest", String(64), nullable=True),
    Column("next_check_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_provider_applicants_due", "next_check_at", postgresql_where=_OPEN, sqlite_where=_OPEN),
)

# The provider's webhooks as received (its inbox): applied at once when that is quick, else by the
# worker. ``digest`` (SHA-256 of the raw body) makes a redelivery of the same webhook a duplicate.
provider_notifications = Table(
    "provider_notifications",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("provider", String(20), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("applicant_index", LargeBinary, nullable=False),
    Column("kind", String(60), nullable=False),  # the provider's own name for it (applicantReviewed, ...)
    Column("received_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("processed_at", UtcDateTime, nullable=True),
    Index(
        "ix_provider_notifications_due",
        "next_attempt_at",
        postgresql_where=_UNPROCESSED,
        sqlite_where=_UNPROCESSED,
    ),
)

# Customers whose applicant's document images are to be fetched into kycrail's store (the provider
# reviewed it: applicants/documents.py). Written in the transaction that applied the review; taken by
# the worker, outside any transaction, and deleted once every image is in; a failure waits its turn
# (``next_attempt_at``, backing off). One row per customer: asking again while one waits adds nothing.
provider_document_fetches = Table(
    "provider_document_fetches",
    metadata,
    Column("customer_id", String(41), ForeignKey("customers.id"), primary_key=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("provider", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("asked_at", UtcDateTime, nullable=False),
    Index("ix_provider_document_fetches_next_attempt_at", "next_attempt_at"),
)
