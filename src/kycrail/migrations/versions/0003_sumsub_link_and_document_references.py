"""SumSub applicant link on customers; documents held by reference (content may be absent).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("sumsub", Json, nullable=True))
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("content", existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    # Documents without content (imported by reference, or erased) cannot go back to NOT NULL.
    op.execute("DELETE FROM documents WHERE content IS NULL")
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("content", existing_type=sa.LargeBinary(), nullable=False)
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("sumsub")
