"""Emails in one normal form (NFC), with their blind index of that form.

Before this release an email was stored lower-cased but in whatever Unicode form the client sent, and
its blind index was of that form: "josé" composed and "jose" with a combining acute were two addresses
(two live customers of one tenant could hold them, and ``?email=`` found each in its own form only).
``rules.normalise_email`` now puts every address in NFC, so an address stored decomposed could no
longer be found at all. Its form is in the customer's sealed document: this opens the document of every
live customer with an email (the key ring is asked for only if there is one), and where the email is
not in today's normal form, seals it again normalised and sets its blind index of that form. The
version moves on (the customer's answer changed, so must its ETag); ``updated_at`` does not (nobody
changed the customer). Deleted customers have no index any more and are left alone.

Two live customers of one tenant whose emails are one address once normalised cannot both hold it (a
unique index): the one already in normal form keeps it, or else the older one takes it; the other keeps
its email and index as they were, so the upgrade never fails on it, and its id is logged in a warning
for the operator, who decides which customer the address belongs to (a PUT of either customer's email
then normalises it). Until then that customer's ``?email=`` finds the other one only. A document the key
ring cannot open (a KEK missing from it) is left alone too, counted in a warning: the service cannot
read that customer either, and the upgrade is no place to fail for an email's form.

Downgrade: nothing to undo (earlier releases read an NFC email as any other).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

import logging
from collections.abc import Sequence
from enum import Enum
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op
from sqlalchemy.util import await_only

from kycrail.customers import rules
from kycrail.migrate import migration_key_ring
from kycrail.vault.envelope import CannotOpen, DataKey, context
from kycrail.vault.kek import KeyUnavailable
from kycrail.vault.vault import Vault, WrappedKey

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

logger = logging.getLogger(__name__)
_BATCH = 500
_PERSONAL_FIELD = "customers.personal"  # the associated data the sealed document is bound to

customers = sa.table(
    "customers",
    *(sa.column(name, sa.String) for name in ("id", "tenant_id")),
    *(sa.column(name, sa.LargeBinary) for name in ("email_index", "personal")),
    sa.column("version", sa.Integer),
    *(sa.column(name, sa.DateTime(timezone=True)) for name in ("created_at", "deleted_at")),
)
data_keys = sa.table(
    "data_keys",
    *(sa.column(name, sa.String) for name in ("customer_id", "tenant_id", "kek_id")),
    sa.column("wrapped_key", sa.LargeBinary),
)
# Live customers with an email, oldest first: an older customer takes a contested address first.
_LIVE_WITH_EMAIL = (
    sa.select(customers, data_keys.c.kek_id, data_keys.c.wrapped_key)
    .join(
        data_keys,
        (data_keys.c.customer_id == customers.c.id) & (data_keys.c.tenant_id == customers.c.tenant_id),
    )
    .where(customers.c.deleted_at.is_(None), customers.c.email_index.is_not(None))
    .order_by(customers.c.created_at, customers.c.id)
    .limit(_BATCH)
)


def _after(row: Any) -> sa.ColumnElement[bool]:
    """The rows after ``row`` in the scan's order."""
    created_at, customer_id = customers.c.created_at, customers.c.id
    return sa.or_(created_at > row.created_at, sa.and_(created_at == row.created_at, customer_id > row.id))


def _normalise_emails(connection: sa.Connection) -> None:
    vault: Vault | None = None
    left: dict[_Left, list[str]] = {reason: [] for reason in _Left}
    query = _LIVE_WITH_EMAIL
    while rows := connection.execute(query).all():
        vault = vault or Vault(migration_key_ring(op.get_context().config), cache_size=1)
        for row in rows:
            reason = _normalise(connection, vault, row)
            if reason is not None:
                left[reason].append(row.id)
        query = _LIVE_WITH_EMAIL.where(_after(rows[-1]))
    for reason, ids in left.items():
        if ids:
            logger.warning(
                "%d customers keep an email in an older Unicode form: %s: %s",
                len(ids),
                reason.value,
                ", ".join(ids),
            )


class _Left(Enum):
    """Why a customer's email was left as it was (the warning's words)."""

    contested = (
        "another live customer of their tenant holds the same address (decide whose it is, then send it "
        "again)"
    )
    unreadable = "the key ring cannot open their document (add the key it was sealed with, then write them)"


def _normalise(connection: sa.Connection, vault: Vault, row: Any) -> _Left | None:
    """The customer's email in today's normal form; or why it was left as it was."""
    where = context(row.id, _PERSONAL_FIELD)
    try:
        wrapped = WrappedKey(row.kek_id, bytes(row.wrapped_key))
        key = await_only(vault.open_data_key(row.tenant_id, row.id, wrapped))
        document = orjson.loads(key.open(bytes(row.personal), where))
    except (KeyUnavailable, CannotOpen):
        return _Left.unreadable
    email = document.get("email")
    normalised = _normal_form(email)
    if normalised is None or normalised == email:
        return None
    index = vault.blind_index.email(row.tenant_id, normalised)
    if _held_by_another(connection, row, index):
        return _Left.contested
    _store(connection, key, row, {**document, "email": normalised}, index)
    return None


def _normal_form(email: object) -> str | None:
    """The address as today's rules write it; None for one they refuse (left as it is)."""
    if not isinstance(email, str):
        return None
    try:
        return rules.normalise_email(email)
    except ValueError:
        return None


def _held_by_another(connection: sa.Connection, row: Any, index: bytes) -> bool:
    holder = sa.select(customers.c.id).where(
        customers.c.tenant_id == row.tenant_id,
        customers.c.email_index == index,
        customers.c.deleted_at.is_(None),
        customers.c.id != row.id,
    )
    return connection.execute(holder.limit(1)).first() is not None


def _store(connection: sa.Connection, key: DataKey, row: Any, document: dict[str, Any], index: bytes) -> None:
    sealed = key.seal(orjson.dumps(document), context(row.id, _PERSONAL_FIELD))
    connection.execute(
        customers.update()
        .where(customers.c.tenant_id == row.tenant_id, customers.c.id == row.id)
        .values(personal=sealed, email_index=index, version=row.version + 1)
    )


def upgrade() -> None:
    _normalise_emails(op.get_bind())


def downgrade() -> None:
    pass
