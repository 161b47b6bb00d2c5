"""The delivery log's answers sealed: what a receiver answered (up to 1 KB, which may echo the payload,
personal data) is kept under the data key of the customer the delivery is about, so that erasing the
customer makes it unreadable, like the rest of the customer's data. And an index for the fair claim.

Answers stored in plaintext before are sealed here with their customer's data key (the key ring comes
from ``kycrail.migrate.upgrade``, or the settings), in batches, in the migration's one transaction;
those of a customer shredded since are dropped. ``kycrail.migrate`` then rewrites the table, so that
no old copy of the plaintext is left in the database's files.

The claim takes each endpoint's due deliveries in their order, up to its room (``deliveries.claim``):
``ix_webhook_deliveries_endpoint_due`` lets it read just those, however long the endpoint's backlog.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.util import await_only

from kycrail.migrate import PLAINTEXT_REPLACED, migration_key_ring
from kycrail.vault.envelope import DataKey, context
from kycrail.vault.vault import Vault, WrappedKey
from kycrail.webhooks.deliveries import response_field

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 500
PENDING = sa.text("state = 'pending'")

webhook_attempts = sa.table(
    "webhook_attempts",
    sa.column("id", sa.BigInteger),
    sa.column("delivery_id", sa.BigInteger),
    sa.column("attempted_at", sa.DateTime(timezone=True)),
    sa.column("response_excerpt", sa.Text),
    sa.column("response_sealed", sa.LargeBinary),
)
webhook_deliveries = sa.table(
    "webhook_deliveries",
    sa.column("id", sa.BigInteger),
    sa.column("tenant_id", sa.String),
    sa.column("customer_id", sa.String),
)
data_keys = sa.table(
    "data_keys",
    sa.column("customer_id", sa.String),
    sa.column("tenant_id", sa.String),
    sa.column("kek_id", sa.String),
    sa.column("wrapped_key", sa.LargeBinary),
)


def _answered(after: int) -> sa.Select[Any]:
    """The next batch of attempts with an answer kept in plaintext, each with its customer's wrapped
    data key (None once shredded)."""
    a, d = webhook_attempts, webhook_deliveries
    return (
        sa.select(
            a.c.id,
            a.c.delivery_id,
            a.c.attempted_at,
            a.c.response_excerpt,
            d.c.tenant_id,
            d.c.customer_id,
            data_keys.c.kek_id,
            data_keys.c.wrapped_key,
        )
        .join(d, d.c.id == a.c.delivery_id)
        .outerjoin(
            data_keys, (data_keys.c.customer_id == d.c.customer_id) & (data_keys.c.tenant_id == d.c.tenant_id)
        )
        .where(a.c.response_excerpt != "", a.c.id > after)
        .order_by(a.c.id)
        .limit(_BATCH)
    )


def _seal_answers(connection: sa.Connection) -> bool:
    """Seal every plaintext answer whose customer still has a data key; True if there were any."""
    seal = (
        webhook_attempts.update()
        .where(webhook_attempts.c.id == sa.bindparam("attempt_id"))
        .values(response_sealed=sa.bindparam("sealed"))
    )
    vault: Vault | None = None
    after, found = 0, False
    while rows := connection.execute(_answered(after)).all():
        found = True
        sealed = []
        for row in rows:
            if row.wrapped_key is None:  # shredded: its answer goes with the plaintext column
                continue
            vault = vault or Vault(migration_key_ring(op.get_context().config))  # asked only if needed
            wrapped = WrappedKey(row.kek_id, bytes(row.wrapped_key))
            key: DataKey = await_only(vault.open_data_key(row.tenant_id, row.customer_id, wrapped))
            attempted_at = _utc(row.attempted_at)
            where = context(row.customer_id, response_field(row.delivery_id, attempted_at))
            sealed.append({"attempt_id": row.id, "sealed": key.seal(row.response_excerpt.encode(), where)})
        if sealed:
            connection.execute(seal, sealed)
        after = rows[-1].id
    return found


def _utc(moment: datetime) -> datetime:
    """As the app reads it back (SQLite keeps no time zone: its timestamps are UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _drop_column(table: str, name: str) -> None:
    if op.get_bind().dialect.name == "sqlite":  # natively (3.35+): no table copy under foreign keys
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {name}"))
    else:
        op.drop_column(table, name)


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        # Pages freed by this migration are zeroed, so no plaintext it replaces stays in free space.
        op.execute(sa.text("PRAGMA secure_delete=ON"))
    op.add_column("webhook_attempts", sa.Column("response_sealed", sa.LargeBinary(), nullable=True))
    if _seal_answers(connection):  # plaintext was replaced: kycrail.migrate scrubs its old copies
        op.get_context().config.attributes[PLAINTEXT_REPLACED] = True  # type: ignore[union-attr]
    _drop_column("webhook_attempts", "response_excerpt")
    op.create_index(
        "ix_webhook_deliveries_endpoint_due",
        "webhook_deliveries",
        ["endpoint_id", "next_attempt_at", "id"],
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )


def downgrade() -> None:
    """The schema only: the answers are not written back in plaintext (the earlier version shows them
    as empty)."""
    op.drop_index("ix_webhook_deliveries_endpoint_due", table_name="webhook_deliveries")
    op.add_column(
        "webhook_attempts",
        sa.Column("response_excerpt", sa.Text(), nullable=False, server_default=""),
    )
    if op.get_bind().dialect.name == "postgresql":  # as 0010 made it (SQLite cannot drop a default)
        op.alter_column("webhook_attempts", "response_excerpt", server_default=None)
    _drop_column("webhook_attempts", "response_sealed")
