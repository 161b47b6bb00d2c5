"""API keys may have the admin role (erasure on request, and what api keys do).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE_CHECK = "ck_api_keys_role"


def _api_keys(roles: str) -> sa.Table:
    """The table as 0001 made it: SQLite's batch mode copies from it (it reflects no CHECK)."""
    return sa.Table(
        "api_keys",
        sa.MetaData(),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("prefix", name="pk_api_keys"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_api_keys_tenant_id_tenants"),
        sa.CheckConstraint(f"role IN ({roles})", name=ROLE_CHECK),
        sa.Index("ix_api_keys_tenant_id", "tenant_id"),
    )


def _roles(old: str, new: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("api_keys", copy_from=_api_keys(old)) as batch:
            batch.drop_constraint(op.f(ROLE_CHECK), type_="check")
            batch.create_check_constraint(op.f(ROLE_CHECK), f"role IN ({new})")
        return
    # On PostgreSQL 0001's naming convention doubled the prefix (ck_api_keys_ck_api_keys_role): drop the
    # table's one CHECK by whatever name it has.
    names = op.get_bind().execute(
        sa.text("SELECT conname FROM pg_constraint WHERE conrelid = 'api_keys'::regclass AND contype = 'c'")
    )
    for name in names.scalars():
        op.drop_constraint(op.f(name), "api_keys", type_="check")
    op.create_check_constraint(op.f(ROLE_CHECK), "api_keys", f"role IN ({new})")


def upgrade() -> None:
    _roles("'api', 'reviewer'", "'api', 'reviewer', 'admin'")


def downgrade() -> None:
    op.execute("DELETE FROM api_keys WHERE role = 'admin'")
    _roles("'api', 'reviewer', 'admin'", "'api', 'reviewer'")
