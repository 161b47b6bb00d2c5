"""Documents: each file's blind index, so that the same file uploaded twice on a customer is refused
(documents stored before have none, and are not compared); and the object holding a file when the
files are in an object store (KYCRAIL_DOCUMENT_STORE=s3://...).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("content_index", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("object_key", sa.String(300), nullable=True))
    op.create_index(
        "uq_documents_tenant_id_customer_id_content_index",
        "documents",
        ["tenant_id", "customer_id", "content_index"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_documents_tenant_id_customer_id_content_index", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("object_key")
        batch.drop_column("content_index")
