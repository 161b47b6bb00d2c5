"""The customers table.

Everything personal (names, date of birth, tax identification, addresses, email, phone, meta, the
review's reasons, documents, the provider link) is one sealed document (``personal``), read and written
with the customer as a whole: see customers/codec.py and vault/. What queries filter or order on has
its own plain column; email and phone are found and kept unique through keyed blind indexes.
"""

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, text

from kycrail.db import Json, UtcDateTime, metadata

_LIVE = text("deleted_at IS NULL")

customers = Table(
    "customers",
    metadata,
    Column("id", String(41), primary_key=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("type", String(20), nullable=False),
    Column("verification_status", String(20), nullable=False),  # derived, kept for filtering
    Column("verification_stage", String(20), nullable=False),  # derived: the status, finer
    # HMAC-SHA256 blind indexes of a live customer's email and phone (None once deleted: freed).
    Column("email_index", LargeBinary(32), nullable=True),
    Column("phone_index", LargeBinary(32), nullable=True),
    # The personal document, sealed under the customer's data key; None once shredded.
    Column("personal", LargeBinary, nullable=True),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    Column("erased_at", UtcDateTime, nullable=True),  # shredded: nothing personal remains
    Column("version", Integer, nullable=False),
    CheckConstraint("type IN ('individual', 'business')", name="type"),
    # Lists are per tenant, newest first, optionally by status or type.
    Index("ix_customers_tenant_id_created_at", "tenant_id", "created_at", "id"),
    Index("ix_customers_tenant_id_status", "tenant_id", "verification_status", "created_at", "id"),
    Index("ix_customers_tenant_id_stage", "tenant_id", "verification_stage", "created_at", "id"),
    Index("ix_customers_tenant_id_type", "tenant_id", "type", "created_at", "id"),
    # The console's queue: a tenant's customers at one stage, oldest submission first.
    Index("ix_customers_tenant_id_stage_submitted", "tenant_id", "verification_stage", "submitted_at", "id"),
    # The jobs that concern every live customer (screening them all again after a list update) walk
    # them in (tenant, id) order from a cursor, a page at a time.
    Index("ix_customers_tenant_id_id_live", "tenant_id", "id", sqlite_where=_LIVE, postgresql_where=_LIVE),
    # A live customer's email and phone are unique within its tenant; a deleted one frees them.
    # The retention purge finds deleted customers not yet shredded.
    Index(
        "ix_customers_deleted_at",
        "deleted_at",
        postgresql_where=text("erased_at IS NULL"),
        sqlite_where=text("erased_at IS NULL"),
    ),
    Index(
        "uq_customers_tenant_id_email_index",
        "tenant_id",
        "email_index",
        unique=True,
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    ),
    Index(
        "uq_customers_tenant_id_phone_index",
        "tenant_id",
        "phone_index",
        unique=True,
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    ),
)

# The audit trail: one row per write, appended in the write's own transaction; never updated.
customer_events = Table(
    "customer_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("customer_id", String(41), ForeignKey("customers.id"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("key_prefix", String(12), nullable=False),
    Column("role", String(20), nullable=False),
    Column("request_id", String(128), nullable=False),
    Column("changes", Json, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    # The console's decisions name the person (operators.id; their email is sealed there).
    Column("operator_id", String(40), nullable=True),
    Index("ix_customer_events_tenant_id_customer_id", "tenant_id", "customer_id", "id"),
)

# Live customers per tenant, type and verification status, kept up to date in every write's own
# transaction: a list's total is then a lookup rather than a count over every row (O(1) at 1M).
customer_counts = Table(
    "customer_counts",
    metadata,
    Column("tenant_id", String(40), ForeignKey("tenants.id"), primary_key=True),
    Column("type", String(20), primary_key=True),
    Column("verification_status", String(20), primary_key=True),
    Column("verification_stage", String(20), primary_key=True),
    Column("live", Integer, nullable=False),
)
