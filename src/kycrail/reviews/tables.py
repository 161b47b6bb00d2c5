"""Tables of the review desk. A customer has at most one assignment and one open proposal."""

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, String, Table

from kycrail.db import UtcDateTime, metadata

review_assignments = Table(
    "review_assignments",
    metadata,
    Column("customer_id", String(41), ForeignKey("customers.id"), primary_key=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("operator_id", String(40), ForeignKey("operators.id"), nullable=False),
    Column("taken_at", UtcDateTime, nullable=False),
    Index("ix_review_assignments_tenant_id_operator_id", "tenant_id", "operator_id"),
)

# A decision one operator proposed and a second must confirm. What it would send (reasons, note) is
# sealed under the customer's data key; the version is the customer's when proposed.
review_proposals = Table(
    "review_proposals",
    metadata,
    Column("customer_id", String(41), ForeignKey("customers.id"), primary_key=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("operator_id", String(40), ForeignKey("operators.id"), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("customer_version", Integer, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("proposed_at", UtcDateTime, nullable=False),
)

# Reviewers' internal notes: never in an API answer, a webhook or the customer's view. Sealed under
# the customer's data key (a note speaks of a person), so an erasure shreds them too.
review_notes = Table(
    "review_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("customer_id", String(41), ForeignKey("customers.id"), nullable=False),
    Column("operator_id", String(40), ForeignKey("operators.id"), nullable=False),
    Column("note", LargeBinary, nullable=False),
    Column("written_at", UtcDateTime, nullable=False),
    Index("ix_review_notes_tenant_id_customer_id", "tenant_id", "customer_id", "id"),
)
