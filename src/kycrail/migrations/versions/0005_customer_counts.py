"""Live customer counts per tenant, type and status (the lists' total without COUNT(*)).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_counts",
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("verification_status", sa.String(20), nullable=False),
        sa.Column("live", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "type", "verification_status", name="pk_customer_counts"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_customer_counts_tenant_id_tenants"),
    )
    op.execute(
        "INSERT INTO customer_counts (tenant_id, type, verification_status, live) "
        "SELECT tenant_id, type, verification_status, COUNT(*) FROM customers "
        "WHERE deleted_at IS NULL GROUP BY tenant_id, type, verification_status"
    )


def downgrade() -> None:
    op.drop_table("customer_counts")
