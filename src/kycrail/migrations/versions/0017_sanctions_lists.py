"""Sanctions lists: each list's versions and their entries, and the version in use of each (switched
in one statement by `kycrail lists update`).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Time = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "sanctions_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("files_digest", sa.String(64), nullable=False),
        sa.Column("loaded_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sanctions_versions"),
    )
    op.create_index("ix_sanctions_versions_source_id", "sanctions_versions", ["source", "id"])
    op.create_table(
        "sanctions_entries",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(100), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("entry", Json, nullable=False),
        sa.PrimaryKeyConstraint("version_id", "source_id", name="pk_sanctions_entries"),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["sanctions_versions.id"],
            name="fk_sanctions_entries_version_id_sanctions_versions",
        ),
    )
    op.create_table(
        "sanctions_current",
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("switched_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("source", name="pk_sanctions_current"),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["sanctions_versions.id"],
            name="fk_sanctions_current_version_id_sanctions_versions",
        ),
    )


def downgrade() -> None:
    op.drop_table("sanctions_current")
    op.drop_table("sanctions_entries")
    op.drop_table("sanctions_versions")
