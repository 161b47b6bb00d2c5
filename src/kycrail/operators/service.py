"""What can be done with operators: create one (with a one-time enrolment link), enrol (password and
second factor), sign in and out, find the session a cookie names, list, disable.

Every refusal of a sign-in is the same ``SignInRefused``, whether the email is unknown, the password
or the code wrong, or the account or the address locked: a form that answered differently would tell
a stranger which emails are operators'.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from kycrail import db
from kycrail.customers.rules import normalise_email
from kycrail.db import utc_now, write_transaction
from kycrail.driver.base import Connection
from kycrail.operators import passwords, repository, second_factor
from kycrail.operators.model import Operator, OperatorRole, SignedIn
from kycrail.storage import Storage
from kycrail.vault.vault import Vault, WrappedKey

ENROLMENT_TTL = timedelta(hours=24)
MAX_FAILURES = 5  # failed sign-ins, per account and per address, before the lock
LOCK = timedelta(minutes=15)
TOUCH_EVERY = timedelta(seconds=30)  # a session's last_seen_at is written at most this often


class OperatorExists(Exception):
    """An operator with this email exists already (in whichever tenant)."""


class OperatorNotFound(Exception):
    pass


class EnrolmentInvalid(Exception):
    """The enrolment link is unknown, used or expired."""


class EnrolmentRefused(Exception):
    """The form was filled wrongly: the message says what to change (never echoes a secret)."""


class SignInRefused(Exception):
    """Wrong email, password or code, or locked: one answer for all."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _owner(operator_id: str, field: str) -> str:
    return f"{operator_id}.{field}"  # what a sealed value is bound to: it opens for this operator only


async def _seal(vault: Vault, tenant_id: str, operator_id: str, field: str, value: str) -> WrappedKey:
    return await vault.wrap_secret(tenant_id, _owner(operator_id, field), value.encode())


async def _open(vault: Vault, row: Any, field: str) -> str:
    wrapped = WrappedKey(row._mapping[f"{field}_kek_id"], row._mapping[field])
    return (await vault.unwrap_secret(row.tenant_id, _owner(row.id, field), wrapped)).decode()


async def _operator(vault: Vault, row: Any) -> Operator:
    return Operator(
        id=row.id,
        tenant_id=row.tenant_id,
        email=await _open(vault, row, "email"),
        role=OperatorRole(row.role),
        enrolled=row.enrolled_at is not None,
        disabled=row.disabled_at is not None,
        created_at=row.created_at,
    )


@dataclass(frozen=True, slots=True)
class Created:
    operator: Operator
    enrolment_token: str  # shown once, in the link; only its hash is stored
    expires_at: datetime


async def create_operator(storage: Storage, tenant_id: str, email: str, role: OperatorRole) -> Created:
    """ValueError: not an email address; OperatorExists: the email is taken."""
    email = normalise_email(email)
    operator_id = "op_" + uuid.uuid4().hex
    token = secrets.token_urlsafe(32)
    now = utc_now()
    sealed = await _seal(storage.vault, tenant_id, operator_id, "email", email)
    values = {
        "id": operator_id,
        "tenant_id": tenant_id,
        "email_index": storage.vault.blind_index.operator_email(email),
        "email": sealed.wrapped,
        "email_kek_id": sealed.kek_id,
        "role": role.value,
        "enrolment_hash": _hash(token),
        "enrolment_expires_at": now + ENROLMENT_TTL,
        "created_at": now,
    }
    try:
        async with write_transaction(storage.engine) as connection:
            await repository.insert(connection, values)
    except IntegrityError:
        raise OperatorExists() from None
    operator = Operator(operator_id, tenant_id, email, role, enrolled=False, disabled=False, created_at=now)
    return Created(operator, token, now + ENROLMENT_TTL)


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What the enrolment page shows: whose account, and the second factor's secret to scan."""

    operator: Operator
    totp_secret: str

    @property
    def provisioning_uri(self) -> str:
        return second_factor.provisioning_uri(self.totp_secret, self.operator.email)


async def _enrolling(connection: Connection, token: str, now: datetime) -> Any:
    row = await repository.by_enrolment_hash(connection, _hash(token))
    if row is None or row.disabled_at is not None or row.enrolment_expires_at <= now:
        raise EnrolmentInvalid()
    return row


async def start_enrolment(storage: Storage, token: str) -> Enrolment:
    """The account a link enrols, and its TOTP secret: made on the first visit and kept, so that
    opening the link again shows the same one. EnrolmentInvalid: unknown, used or expired."""
    now = utc_now()
    async with write_transaction(storage.engine) as connection:
        row = await _enrolling(connection, token, now)
        if row.totp_secret is None:
            secret = second_factor.new_secret()
            sealed = await _seal(storage.vault, row.tenant_id, row.id, "totp_secret", secret)
            values = {"totp_secret": sealed.wrapped, "totp_secret_kek_id": sealed.kek_id}
            await repository.change(connection, row.tenant_id, row.id, **values)
        else:
            secret = await _open(storage.vault, row, "totp_secret")
        return Enrolment(await _operator(storage.vault, row), secret)


async def finish_enrolment(storage: Storage, token: str, password: str, repeated: str, code: str) -> Operator:
    """Sets the password and confirms the second factor with a code from it; the link is spent.
    EnrolmentInvalid: the link is not good (any more); EnrolmentRefused: what to change."""
    now = utc_now()
    async with write_transaction(storage.engine) as connection:
        row = await _enrolling(connection, token, now)
        operator = await _operator(storage.vault, row)
        if row.totp_secret is None:
            raise EnrolmentRefused("Open the enrolment link again to see your second factor's code.")
        if password != repeated:
            raise EnrolmentRefused("The two passwords differ.")
        try:
            passwords.check_policy(password, operator.email)
        except passwords.WeakPassword as weak:
            raise EnrolmentRefused(str(weak)) from None
        secret = await _open(storage.vault, row, "totp_secret")
        step = second_factor.matching_step(secret, code, None)
        if step is None:
            raise EnrolmentRefused(
                "The code does not match: scan the QR code again and enter the code shown."
            )
        await repository.change(
            connection,
            row.tenant_id,
            row.id,
            password_hash=passwords.hash_password(password),
            totp_last_step=step,
            enrolment_hash=None,
            enrolment_expires_at=None,
            enrolled_at=now,
        )
    return operator


async def _count_failure(connection: Connection, vault: Vault, row: Any, address: str, now: datetime) -> None:
    if row is not None:
        failures = row.failed_sign_ins + 1
        locked = now + LOCK if failures >= MAX_FAILURES else None
        await repository.change(
            connection,
            row.tenant_id,
            row.id,
            failed_sign_ins=0 if locked else failures,
            locked_until=locked or row.locked_until,
        )
    index = vault.blind_index.address(address)
    found = await repository.address_failures(connection, index)
    fresh = found is None or found.first_failed_at <= now - LOCK
    failures = 1 if fresh else found.failures + 1
    await repository.put_address_failures(
        connection,
        index,
        failures=0 if failures >= MAX_FAILURES else failures,
        first_failed_at=now if fresh else found.first_failed_at,
        locked_until=now + LOCK if failures >= MAX_FAILURES else (found.locked_until if found else None),
        existed=found is not None,
    )


async def _address_locked(connection: Connection, vault: Vault, address: str, now: datetime) -> bool:
    found = await repository.address_failures(connection, vault.blind_index.address(address))
    return found is not None and found.locked_until is not None and found.locked_until > now


def _good(row: Any, password: str, code: str, now: datetime, secret: str | None) -> int | None:
    """The TOTP step the sign-in spends, if every check passes."""
    if row is None:
        passwords.verify(passwords.dummy_hash(), password)  # as long as for a real account
        return None
    password_ok = row.password_hash is not None and passwords.verify(row.password_hash, password)
    usable = row.enrolled_at is not None and row.disabled_at is None
    unlocked = row.locked_until is None or row.locked_until <= now
    if not (password_ok and usable and unlocked and secret is not None):
        return None
    return second_factor.matching_step(secret, code, row.totp_last_step)


async def sign_in(
    storage: Storage, email: str, password: str, code: str, address: str
) -> tuple[str, Operator]:
    """A new session's id (for the cookie only) and who it is for. SignInRefused, counted against
    the account (if there is one) and the address."""
    now = utc_now()
    try:
        index = storage.vault.blind_index.operator_email(normalise_email(email))
    except ValueError:
        index = None
    async with write_transaction(storage.engine) as connection:
        row = await repository.by_email_index(connection, index) if index is not None else None
        secret = (
            await _open(storage.vault, row, "totp_secret") if row is not None and row.totp_secret else None
        )
        locked = await _address_locked(connection, storage.vault, address, now)
        step = None if locked else _good(row, password, code, now, secret)
        if (
            row is not None
            and step is not None
            and await repository.spend_step(connection, row.tenant_id, row.id, step)
        ):
            session_id = secrets.token_urlsafe(32)
            await repository.change(connection, row.tenant_id, row.id, failed_sign_ins=0, locked_until=None)
            await repository.insert_session(
                connection,
                {
                    "id_hash": _hash(session_id),
                    "operator_id": row.id,
                    "tenant_id": row.tenant_id,
                    "created_at": now,
                    "last_seen_at": now,
                },
            )
            return session_id, await _operator(storage.vault, row)
        if not locked:
            await _count_failure(connection, storage.vault, row, address, now)
    raise SignInRefused()


async def session_of(
    storage: Storage, session_id: str, *, idle: timedelta, absolute: timedelta
) -> SignedIn | None:
    """The operator a session id signs in, while the session lives: not ended, used within ``idle``,
    begun within ``absolute``, its operator not disabled."""
    now = utc_now()
    id_hash = _hash(session_id)
    async with db.connect(storage.engine) as connection:
        found = await repository.session(connection, id_hash)
        if (
            found is None
            or found.ended_at is not None
            or found.disabled_at is not None
            or found.last_seen_at <= now - idle
            or found.created_at <= now - absolute
        ):
            return None
        row = await repository.by_id(connection, found.tenant_id, found.operator_id)
    if found.last_seen_at <= now - TOUCH_EVERY:
        async with write_transaction(storage.engine) as connection:
            await repository.touch_session(connection, id_hash, now)
    return SignedIn(await _operator(storage.vault, row), id_hash)


async def sign_out(storage: Storage, signed_in: SignedIn) -> None:
    async with write_transaction(storage.engine) as connection:
        await repository.end_session(connection, signed_in.session_hash, utc_now())


async def list_operators(storage: Storage, tenant_id: str | None = None) -> list[Operator]:
    async with db.connect(storage.engine) as connection:
        rows = await repository.all_of(connection, tenant_id)
    return [await _operator(storage.vault, row) for row in rows]


async def operators_by_id(storage: Storage, tenant_id: str, operator_ids: set[str]) -> dict[str, Operator]:
    async with db.connect(storage.engine) as connection:
        rows = await repository.by_ids(connection, tenant_id, sorted(operator_ids))
    return {row.id: await _operator(storage.vault, row) for row in rows}


async def find_by_email(storage: Storage, email: str) -> Operator:
    try:
        index = storage.vault.blind_index.operator_email(normalise_email(email))
    except ValueError:
        raise OperatorNotFound() from None
    async with db.connect(storage.engine) as connection:
        row = await repository.by_email_index(connection, index)
    if row is None:
        raise OperatorNotFound()
    return await _operator(storage.vault, row)


async def disable_operator(storage: Storage, operator: Operator) -> None:
    """No more sign-ins; every session of theirs ends now."""
    now = utc_now()
    async with write_transaction(storage.engine) as connection:
        await repository.change(
            connection, operator.tenant_id, operator.id, disabled_at=now, enrolment_hash=None
        )
        await repository.end_sessions_of(connection, operator.tenant_id, operator.id, now)


async def rewrap_secrets(storage: Storage) -> int:
    """Every operator's sealed email and second-factor secret under the newest KEK (``kycrail kek
    rewrap``); returns how many operators were rewrapped."""
    vault = storage.vault
    newest = vault.ring.newest.id
    async with db.connect(storage.engine) as connection:
        found = await repository.sealed_not_under_any_tenant(connection, newest)
    for row in found:
        values: dict[str, Any] = {}
        for field in ("email", "totp_secret"):
            if row._mapping[field] is not None and row._mapping[f"{field}_kek_id"] != newest:
                sealed = await _seal(vault, row.tenant_id, row.id, field, await _open(vault, row, field))
                values |= {field: sealed.wrapped, f"{field}_kek_id": sealed.kek_id}
        async with write_transaction(storage.engine) as connection:
            await repository.change(connection, row.tenant_id, row.id, **values)
    return len(found)
