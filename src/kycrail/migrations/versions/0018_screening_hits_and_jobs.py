"""Sanctions screening: each customer's hits (sealed explanations, a reviewer's resolution), the jobs
that screen every customer again after a list update, and the index those jobs walk the live
customers by.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Time = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "screening_hits",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("customer_id", sa.String(41), nullable=False),
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("source_id", sa.String(100), nullable=False),
        sa.Column("entry_digest", sa.String(64), nullable=False),
        sa.Column("listed_name", sa.String(500), nullable=False),
        sa.Column("score_per_10k", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("explanation", sa.LargeBinary(), nullable=False),
        sa.Column("reason", sa.LargeBinary(), nullable=True),
        sa.Column("resolved_by", sa.String(100), nullable=True),
        sa.Column("resolved_at", Time, nullable=True),
        sa.Column("created_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screening_hits"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_screening_hits_tenant_id_tenants"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_screening_hits_customer_id_customers"
        ),
    )
    op.create_index("ix_screening_hits_tenant_id_customer_id", "screening_hits", ["tenant_id", "customer_id"])
    op.create_table(
        "screening_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entries", Json, nullable=False),
        sa.Column("cursor_tenant_id", sa.String(40), nullable=True),
        sa.Column("cursor_customer_id", sa.String(41), nullable=True),
        sa.Column("screened", sa.Integer(), nullable=False),
        sa.Column("raised", sa.Integer(), nullable=False),
        sa.Column("leased_until", Time, nullable=True),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("finished_at", Time, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_screening_jobs"),
    )
    op.create_index("ix_screening_jobs_finished_at", "screening_jobs", ["finished_at"])
    live = sa.text("deleted_at IS NULL")
    op.create_index(
        "ix_customers_tenant_id_id_live",
        "customers",
        ["tenant_id", "id"],
        sqlite_where=live,
        postgresql_where=live,
    )


def downgrade() -> None:
    op.drop_index("ix_customers_tenant_id_id_live", table_name="customers")
    op.drop_table("screening_jobs")
    op.drop_table("screening_hits")
