"""Tables for operators, their console sessions and the sign-in failures of an address.

An operator's email is personal: stored sealed (wrapped by the newest KEK, like a webhook's secret)
and found through a keyed blind index, across tenants, since the sign-in form names no tenant. The
TOTP secret is sealed the same way; the password is an argon2id hash.
"""

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, LargeBinary, String, Table

from kycrail.db import UtcDateTime, metadata

operators = Table(
    "operators",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("email_index", LargeBinary(32), nullable=False, unique=True),
    Column("email", LargeBinary, nullable=False),  # sealed
    Column("email_kek_id", String(64), nullable=False),
    Column("role", String(20), nullable=False),
    # Until enrolment: the hash of the one-time enrolment token and when it expires.
    Column("enrolment_hash", String(64), nullable=True, unique=True),
    Column("enrolment_expires_at", UtcDateTime, nullable=True),
    Column("password_hash", String(200), nullable=True),
    Column("totp_secret", LargeBinary, nullable=True),  # sealed
    Column("totp_secret_kek_id", String(64), nullable=True),
    Column("totp_last_step", Integer, nullable=True),  # a code is good once: the last step used
    Column("failed_sign_ins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("enrolled_at", UtcDateTime, nullable=True),
    Column("disabled_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    CheckConstraint("role IN ('reviewer', 'admin')", name="operator_role"),
    Index("ix_operators_tenant_id", "tenant_id"),
)

# One row per signed-in browser. The session id is in the cookie only; the row holds its SHA-256.
operator_sessions = Table(
    "operator_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("operator_id", String(40), ForeignKey("operators.id"), nullable=False),
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Index("ix_operator_sessions_operator_id", "operator_id"),
)

# Failed sign-ins by address (a keyed hash of it: an address is personal data), whatever the account.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("address_index", LargeBinary(32), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("first_failed_at", UtcDateTime, nullable=False),
    Column("locked_until", UtcDateTime, nullable=True),
)
