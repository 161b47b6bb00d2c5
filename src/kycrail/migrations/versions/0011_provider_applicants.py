"""Provider applicants kycrail follows (matched by a blind index of the applicant id), and the
providers' notifications (SumSub's webhooks) as received.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN = sa.text("final = false")
UNPROCESSED = sa.text("processed_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "provider_applicants",
        sa.Column("customer_id", sa.String(41), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("applicant_index", sa.LargeBinary(), nullable=False),
        sa.Column("review_state", sa.String(20), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state_digest", sa.String(64), nullable=True),
        sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name="pk_provider_applicants"),
        sa.UniqueConstraint("applicant_index", name="uq_provider_applicants_applicant_index"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_provider_applicants_customer_id_customers"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name="fk_provider_applicants_tenant_id_tenants"
        ),
    )
    op.create_index(
        "ix_provider_applicants_due",
        "provider_applicants",
        ["next_check_at"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_table(
        "provider_notifications",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("applicant_index", sa.LargeBinary(), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_provider_notifications"),
        sa.UniqueConstraint("digest", name="uq_provider_notifications_digest"),
    )
    op.create_index(
        "ix_provider_notifications_due",
        "provider_notifications",
        ["next_attempt_at"],
        sqlite_where=UNPROCESSED,
        postgresql_where=UNPROCESSED,
    )


def downgrade() -> None:
    op.drop_index("ix_provider_notifications_due", table_name="provider_notifications")
    op.drop_table("provider_notifications")
    op.drop_index("ix_provider_applicants_due", table_name="provider_applicants")
    op.drop_table("provider_applicants")
