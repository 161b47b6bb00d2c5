"""The outbox: every customer write appends its outgoing event in its own transaction.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_events",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("customer_id", sa.String(41), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("customer_type", sa.String(20), nullable=False),
        sa.Column("status_before", sa.String(20), nullable=True),
        sa.Column("status_after", sa.String(20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_events"),
        sa.UniqueConstraint("event_id", name="uq_outbox_events_event_id"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_outbox_events_tenant_id_tenants"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_outbox_events_customer_id_customers"
        ),
    )
    op.create_index("ix_outbox_events_tenant_id_id", "outbox_events", ["tenant_id", "id"])
    op.create_index("ix_outbox_events_customer_id_id", "outbox_events", ["customer_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_events_customer_id_id", table_name="outbox_events")
    op.drop_index("ix_outbox_events_tenant_id_id", table_name="outbox_events")
    op.drop_table("outbox_events")
