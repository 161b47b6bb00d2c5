"""Documents fetched from the KYC provider: the queue of customers whose applicant's images are to be
fetched (provider_document_fetches), and each fetched file's link to the imported document it is a
page of (documents.part_of).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "provider_document_fetches",
        sa.Column("customer_id", sa.String(41), sa.ForeignKey("customers.id"), primary_key=True),
        sa.Column("tenant_id", sa.String(40), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", Time, nullable=False),
        sa.Column("asked_at", Time, nullable=False),
    )
    op.create_index(
        "ix_provider_document_fetches_next_attempt_at", "provider_document_fetches", ["next_attempt_at"]
    )
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("part_of", sa.String(41), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("part_of")
    op.drop_index("ix_provider_document_fetches_next_attempt_at", table_name="provider_document_fetches")
    op.drop_table("provider_document_fetches")
