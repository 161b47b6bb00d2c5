"""Encryption at rest: each customer's personal data sealed under its own data key, blind indexes
for email and phone, documents sealed, kept answers sealed or dropped, audit paths without values.

Rows written by earlier versions are encrypted here, in the migration's one transaction (nothing is
half-converted if it fails). The key ring comes from ``kycrail.migrate.upgrade`` (or the settings).
What cannot be sealed is dropped: a remembered share-token import (its sealing key derives from the
token, which kycrail never stored; the token is spent, a retry needs a new one), and a kept success
answer that names no customer.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Iterator, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.util import await_only

from kycrail.migrate import PLAINTEXT_REPLACED, migration_key_ring
from kycrail.vault.envelope import DataKey, context
from kycrail.vault.keyring import KeyRing
from kycrail.vault.vault import Vault

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")
LIVE = sa.text("deleted_at IS NULL")
NOT_ERASED = sa.text("erased_at IS NULL")
_PERSONAL_COLUMNS = (
    "email",
    "phone",
    "identity",
    "address",
    "operating_address",
    "business",
    "meta",
    "documents",
    "criterion_errors",
    "review",
    "sumsub",
)
_BATCH = 1000

old_customers = sa.table(
    "customers",
    sa.column("id", sa.String),
    sa.column("tenant_id", sa.String),
    sa.column("email", sa.String),
    sa.column("phone", sa.String),
    sa.column("identity", Json),
    sa.column("address", Json),
    sa.column("operating_address", Json),
    sa.column("business", Json),
    sa.column("meta", Json),
    sa.column("documents", Json),
    sa.column("criterion_errors", Json),
    sa.column("review", Json),
    sa.column("sumsub", Json),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("deleted_at", sa.DateTime(timezone=True)),
    sa.column("email_index", sa.LargeBinary),
    sa.column("phone_index", sa.LargeBinary),
    sa.column("personal", sa.LargeBinary),
)
data_keys = sa.table(
    "data_keys",
    sa.column("customer_id", sa.String),
    sa.column("tenant_id", sa.String),
    sa.column("kek_id", sa.String),
    sa.column("wrapped_key", sa.LargeBinary),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
documents = sa.table(
    "documents",
    sa.column("id", sa.String),
    sa.column("customer_id", sa.String),
    sa.column("content", sa.LargeBinary),
)
idempotency_keys = sa.table(
    "idempotency_keys",
    sa.column("tenant_id", sa.String),
    sa.column("key", sa.String),
    sa.column("state", sa.String),
    sa.column("status_code", sa.Integer),
    sa.column("customer_id", sa.String),
    sa.column("response_body", sa.LargeBinary),
)
customer_events = sa.table("customer_events", sa.column("id", sa.Integer), sa.column("changes", Json))


def _key_ring() -> KeyRing:
    return migration_key_ring(op.get_context().config)


def _batches(
    connection: sa.Connection, query: sa.Select[Any], key: sa.ColumnElement[Any]
) -> Iterator[Sequence[Any]]:
    after = ""
    while rows := connection.execute(query.where(key > after).order_by(key).limit(_BATCH)).all():
        yield rows
        after = rows[-1][0]


def _encrypt_customers(connection: sa.Connection) -> dict[str, DataKey]:
    """Seal every customer's personal columns; returns the data key of each, for their documents."""
    keys: dict[str, DataKey] = {}
    if connection.execute(sa.select(sa.func.count()).select_from(old_customers)).scalar_one() == 0:
        return keys  # a new database: no key ring needed
    vault = Vault(_key_ring(), cache_size=1)
    columns = [
        old_customers.c.id,
        old_customers.c.tenant_id,
        old_customers.c.created_at,
        old_customers.c.deleted_at,
    ]
    columns += [old_customers.c[name] for name in _PERSONAL_COLUMNS]
    for rows in _batches(connection, sa.select(*columns), old_customers.c.id):
        for row in rows:
            key, wrapped = await_only(vault.new_data_key(row.tenant_id, row.id))
            document = orjson.dumps({name: getattr(row, name) for name in _PERSONAL_COLUMNS})
            live = row.deleted_at is None
            connection.execute(
                data_keys.insert().values(
                    customer_id=row.id,
                    tenant_id=row.tenant_id,
                    kek_id=wrapped.kek_id,
                    wrapped_key=wrapped.wrapped,
                    created_at=row.created_at,
                )
            )
            connection.execute(
                old_customers.update()
                .where(old_customers.c.id == row.id)
                .values(
                    personal=key.seal(document, context(row.id, "customers.personal")),
                    email_index=vault.blind_index.email(row.tenant_id, row.email)
                    if live and row.email
                    else None,
                    phone_index=vault.blind_index.phone(row.tenant_id, row.phone)
                    if live and row.phone
                    else None,
                )
            )
            keys[row.id] = key
    return keys


def _encrypt_documents(connection: sa.Connection, keys: dict[str, DataKey]) -> None:
    query = sa.select(documents.c.id, documents.c.customer_id, documents.c.content).where(
        documents.c.content.is_not(None)
    )
    for rows in _batches(connection, query, documents.c.id):
        for row in rows:
            sealed = keys[row.customer_id].seal(
                bytes(row.content), context(row.customer_id, f"documents.{row.id}.content")
            )
            connection.execute(documents.update().where(documents.c.id == row.id).values(content=sealed))


def _seal_kept_answers(connection: sa.Connection, keys: dict[str, DataKey]) -> None:
    """A kept answer about a customer (a customer's ``id``, a document's ``targetId``) is sealed under
    its key; an empty answer (a DELETE's 204) stays; any other is dropped, a retry then runs again
    (a refusal is now sealed under a key derived from the request, which was never stored)."""
    rows = connection.execute(
        sa.select(
            idempotency_keys.c.tenant_id,
            idempotency_keys.c.key,
            idempotency_keys.c.status_code,
            idempotency_keys.c.response_body,
        ).where(idempotency_keys.c.state == "completed")
    ).all()
    for row in rows:
        where = (idempotency_keys.c.tenant_id == row.tenant_id) & (idempotency_keys.c.key == row.key)
        if not row.response_body:
            continue
        customer_id = _customer_named(bytes(row.response_body)) if row.status_code < 400 else None
        key = keys.get(customer_id) if customer_id is not None else None
        if customer_id is None or key is None:
            connection.execute(idempotency_keys.delete().where(where))
            continue
        sealed = key.seal(
            bytes(row.response_body), context(customer_id, f"idempotency_keys.{row.key}.response_body")
        )
        connection.execute(
            idempotency_keys.update().where(where).values(customer_id=customer_id, response_body=sealed)
        )


def _customer_named(body: bytes) -> str | None:
    try:
        answer = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(answer, dict):
        return None
    for name in ("id", "targetId"):  # a customer, or a document uploaded for one
        value = answer.get(name)
        if isinstance(value, str) and value.startswith("customer_"):
            return value
    return None


def _mask_audit_paths(connection: sa.Connection) -> None:
    """Meta keys leave the change paths (one ``meta.*`` entry instead), reviewers' messages are masked."""
    query = sa.select(customer_events.c.id, customer_events.c.changes)
    after = 0
    while rows := connection.execute(
        query.where(customer_events.c.id > after).order_by(customer_events.c.id).limit(_BATCH)
    ).all():
        for row in rows:
            changes = _masked(row.changes)
            if changes != row.changes:
                connection.execute(
                    customer_events.update().where(customer_events.c.id == row.id).values(changes=changes)
                )
        after = rows[-1].id


def _masked(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    changes = [dict(change) for change in changes]  # copies: the caller compares with the stored ones
    kept = [change for change in changes if not change["field"].startswith("meta.")]
    metas = [change for change in changes if change["field"].startswith("meta.")]
    if metas:
        kept.append(
            {
                "field": "meta.*",
                "from": "***" if any(change["from"] is not None for change in metas) else None,
                "to": "***" if any(change["to"] is not None for change in metas) else None,
            }
        )
    for change in kept:
        if change["field"].startswith("criterion_errors."):
            change["from"] = "***" if change["from"] is not None else None
            change["to"] = "***" if change["to"] is not None else None
    return sorted(kept, key=lambda change: change["field"])


def _recreate_share_token_imports(applicant: sa.Column[Any]) -> None:
    """Empty, with ``applicant`` as the applicant's column (sealed from 0007 on, plain before)."""
    op.drop_index("ix_share_token_imports_created_at", table_name="share_token_imports")
    op.drop_table("share_token_imports")
    op.create_table(
        "share_token_imports",
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(41), nullable=True),
        applicant,
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "token_digest", name="pk_share_token_imports"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name="fk_share_token_imports_tenant_id_tenants"
        ),
    )
    op.create_index("ix_share_token_imports_created_at", "share_token_imports", ["created_at"])


def _drop_column(table: str, name: str) -> None:
    if op.get_bind().dialect.name == "sqlite":  # natively (3.35+): no table copy under foreign keys
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {name}"))
    else:
        op.drop_column(table, name)


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        # Pages freed by this migration are zeroed, so no plaintext it replaces stays in free space
        # (Debian's SQLite does this by default; upstream's does not).
        op.execute(sa.text("PRAGMA secure_delete=ON"))
    op.create_table(
        "data_keys",
        sa.Column("customer_id", sa.String(41), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("kek_id", sa.String(64), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name="pk_data_keys"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name="fk_data_keys_customer_id_customers"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_data_keys_tenant_id_tenants"),
    )
    op.create_index("ix_data_keys_kek_id_customer_id", "data_keys", ["kek_id", "customer_id"])
    op.add_column("customers", sa.Column("email_index", sa.LargeBinary(32), nullable=True))
    op.add_column("customers", sa.Column("phone_index", sa.LargeBinary(32), nullable=True))
    op.add_column("customers", sa.Column("personal", sa.LargeBinary(), nullable=True))
    op.add_column("customers", sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("idempotency_keys", sa.Column("customer_id", sa.String(41), nullable=True))

    # A plain hash of an identity document confirms who uploaded a file one holds: gone (unused).
    _drop_column("documents", "sha256")
    keys = _encrypt_customers(connection)
    if keys:  # plaintext was replaced: kycrail.migrate scrubs its old copies after the commit
        op.get_context().config.attributes[PLAINTEXT_REPLACED] = True  # type: ignore[union-attr]
    _encrypt_documents(connection, keys)
    _seal_kept_answers(connection, keys)
    _mask_audit_paths(connection)

    op.drop_index("uq_customers_tenant_id_email", table_name="customers")
    op.drop_index("uq_customers_tenant_id_phone", table_name="customers")
    for name in _PERSONAL_COLUMNS:
        _drop_column("customers", name)
    for column in ("email_index", "phone_index"):
        op.create_index(
            f"uq_customers_tenant_id_{column}",
            "customers",
            ["tenant_id", column],
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )
    op.create_index(
        "ix_customers_deleted_at",
        "customers",
        ["deleted_at"],
        sqlite_where=NOT_ERASED,
        postgresql_where=NOT_ERASED,
    )

    # Remembered imports cannot be sealed (the key derives from the token, never stored): start afresh.
    _recreate_share_token_imports(sa.Column("applicant", sa.LargeBinary(), nullable=False))


def downgrade() -> None:
    """The schema only: personal data is never written back in plaintext (restore a backup taken
    before 0007 instead), so an encrypted database with customers refuses to go down."""
    connection = op.get_bind()
    if connection.execute(sa.select(sa.func.count()).select_from(old_customers)).scalar_one():
        raise RuntimeError("0007 is not undone on a database holding customers: restore a backup instead")
    op.drop_index("ix_customers_deleted_at", table_name="customers")
    for column in ("email_index", "phone_index"):
        op.drop_index(f"uq_customers_tenant_id_{column}", table_name="customers")
    for name in ("email_index", "phone_index", "personal", "erased_at"):
        _drop_column("customers", name)
    op.add_column("customers", sa.Column("email", sa.String(254), nullable=True))
    op.add_column("customers", sa.Column("phone", sa.String(20), nullable=True))
    for name in ("identity", "meta", "documents", "criterion_errors"):
        op.add_column("customers", sa.Column(name, Json, nullable=False))
    for name in ("address", "operating_address", "business", "review", "sumsub"):
        op.add_column("customers", sa.Column(name, Json, nullable=True))
    for column in ("email", "phone"):
        op.create_index(
            f"uq_customers_tenant_id_{column}",
            "customers",
            ["tenant_id", column],
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )
    _drop_column("idempotency_keys", "customer_id")
    op.add_column("documents", sa.Column("sha256", sa.String(64), nullable=False, server_default=""))
    op.drop_index("ix_data_keys_kek_id_customer_id", table_name="data_keys")
    op.drop_table("data_keys")
    _recreate_share_token_imports(sa.Column("applicant_id", sa.String(64), nullable=False))
