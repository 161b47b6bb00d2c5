"""Customers and documents.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")
LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(41), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("verification_status", sa.String(20), nullable=False),
        sa.Column("identity", Json, nullable=False),
        sa.Column("address", Json, nullable=True),
        sa.Column("operating_address", Json, nullable=True),
        sa.Column("business", Json, nullable=True),
        sa.Column("meta", Json, nullable=False),
        sa.Column("documents", Json, nullable=False),
        sa.Column("criterion_errors", Json, nullable=False),
        sa.Column("review", Json, nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_customers_tenant_id_tenants"),
        sa.CheckConstraint("type IN ('individual', 'business')", name="ck_customers_type"),
    )
    op.create_index("ix_customers_tenant_id_created_at", "customers", ["tenant_id", "created_at", "id"])
    op.create_index(
        "ix_customers_tenant_id_status", "customers", ["tenant_id", "verification_status", "created_at", "id"]
    )
    op.create_index("ix_customers_tenant_id_type", "customers", ["tenant_id", "type", "created_at", "id"])
    for column in ("email", "phone"):
        op.create_index(
            f"uq_customers_tenant_id_{column}",
            "customers",
            ["tenant_id", column],
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(41), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("customer_id", sa.String(41), nullable=False),
        sa.Column("document_type", sa.String(40), nullable=False),
        sa.Column("country", sa.String(3), nullable=True),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_documents_tenant_id_tenants"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name="fk_documents_customer_id_customers"),
    )
    op.create_index("ix_documents_tenant_id_customer_id", "documents", ["tenant_id", "customer_id"])


def downgrade() -> None:
    op.drop_index("ix_documents_tenant_id_customer_id", table_name="documents")
    op.drop_table("documents")
    for index in (
        "uq_customers_tenant_id_phone",
        "uq_customers_tenant_id_email",
        "ix_customers_tenant_id_type",
        "ix_customers_tenant_id_status",
        "ix_customers_tenant_id_created_at",
    ):
        op.drop_index(index, table_name="customers")
    op.drop_table("customers")
