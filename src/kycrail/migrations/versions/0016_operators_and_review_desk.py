"""The reviewer console: operators (people, with a password and a second factor), their sessions, the
sign-in failures of an address; the review desk (assignments, four-eyes proposals, internal notes);
the operator an audit event names; the queue's index.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Time = sa.DateTime(timezone=True)


def _tenant(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=f"fk_{table}_tenant_id_tenants")


def _customer(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["customer_id"], ["customers.id"], name=f"fk_{table}_customer_id_customers"
    )


def _operator(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["operator_id"], ["operators.id"], name=f"fk_{table}_operator_id_operators"
    )


def upgrade() -> None:
    op.create_table(
        "operators",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("email_index", sa.LargeBinary(32), nullable=False),
        sa.Column("email", sa.LargeBinary(), nullable=False),
        sa.Column("email_kek_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("enrolment_hash", sa.String(64), nullable=True),
        sa.Column("enrolment_expires_at", Time, nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("totp_secret", sa.LargeBinary(), nullable=True),
        sa.Column("totp_secret_kek_id", sa.String(64), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("failed_sign_ins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", Time, nullable=True),
        sa.Column("enrolled_at", Time, nullable=True),
        sa.Column("disabled_at", Time, nullable=True),
        sa.Column("created_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_operators"),
        sa.UniqueConstraint("email_index", name="uq_operators_email_index"),
        sa.UniqueConstraint("enrolment_hash", name="uq_operators_enrolment_hash"),
        sa.CheckConstraint("role IN ('reviewer', 'admin')", name="ck_operators_operator_role"),
        _tenant("operators"),
    )
    op.create_index("ix_operators_tenant_id", "operators", ["tenant_id"])
    op.create_table(
        "operator_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("last_seen_at", Time, nullable=False),
        sa.Column("ended_at", Time, nullable=True),
        sa.PrimaryKeyConstraint("id_hash", name="pk_operator_sessions"),
        _operator("operator_sessions"),
        _tenant("operator_sessions"),
    )
    op.create_index("ix_operator_sessions_operator_id", "operator_sessions", ["operator_id"])
    op.create_table(
        "sign_in_failures",
        sa.Column("address_index", sa.LargeBinary(32), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failed_at", Time, nullable=False),
        sa.Column("locked_until", Time, nullable=True),
        sa.PrimaryKeyConstraint("address_index", name="pk_sign_in_failures"),
    )
    op.create_table(
        "review_assignments",
        sa.Column("customer_id", sa.String(41), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("taken_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name="pk_review_assignments"),
        _customer("review_assignments"),
        _tenant("review_assignments"),
        _operator("review_assignments"),
    )
    op.create_index(
        "ix_review_assignments_tenant_id_operator_id", "review_assignments", ["tenant_id", "operator_id"]
    )
    op.create_table(
        "review_proposals",
        sa.Column("customer_id", sa.String(41), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("customer_version", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("proposed_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name="pk_review_proposals"),
        _customer("review_proposals"),
        _tenant("review_proposals"),
        _operator("review_proposals"),
    )
    op.create_table(
        "review_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("customer_id", sa.String(41), nullable=False),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("note", sa.LargeBinary(), nullable=False),
        sa.Column("written_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_notes"),
        _customer("review_notes"),
        _tenant("review_notes"),
        _operator("review_notes"),
    )
    op.create_index(
        "ix_review_notes_tenant_id_customer_id", "review_notes", ["tenant_id", "customer_id", "id"]
    )
    op.add_column("customer_events", sa.Column("operator_id", sa.String(40), nullable=True))
    op.create_index(
        "ix_customers_tenant_id_stage_submitted",
        "customers",
        ["tenant_id", "verification_stage", "submitted_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_customers_tenant_id_stage_submitted", table_name="customers")
    with op.batch_alter_table("customer_events") as batch:
        batch.drop_column("operator_id")
    for table in ("review_notes", "review_proposals", "review_assignments", "sign_in_failures"):
        op.drop_table(table)
    op.drop_table("operator_sessions")
    op.drop_table("operators")
