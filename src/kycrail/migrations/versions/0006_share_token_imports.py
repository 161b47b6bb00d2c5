"""Share-token imports: which applicant each token gave, so an import whose write failed can resume.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "share_token_imports",
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(41), nullable=True),
        sa.Column("applicant_id", sa.String(64), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "token_digest", name="pk_share_token_imports"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name="fk_share_token_imports_tenant_id_tenants"
        ),
    )
    op.create_index("ix_share_token_imports_created_at", "share_token_imports", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_share_token_imports_created_at", table_name="share_token_imports")
    op.drop_table("share_token_imports")
