"""Every query on operators, their sessions and sign-in failures. Each carries the tenant predicate
but the two that cannot: sign-in and enrolment find an operator by what the person brings (an email,
a one-time token), and the tenant is what they find."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from kycrail.db import insert_with_conflicts
from kycrail.driver.base import Connection
from kycrail.operators.tables import operator_sessions, operators, sign_in_failures


async def insert(connection: Connection, values: dict[str, Any]) -> None:
    await connection.execute(operators.insert().values(**values))


async def by_email_index(connection: Connection, email_index: bytes) -> Any:
    """Sign-in: across tenants (the form names none)."""
    query = select(operators).where(operators.c.email_index == email_index)
    return (await connection.execute(query)).first()


async def by_enrolment_hash(connection: Connection, enrolment_hash: str) -> Any:
    """Enrolment: the one-time token is the only thing the person brings."""
    query = select(operators).where(operators.c.enrolment_hash == enrolment_hash)
    return (await connection.execute(query)).first()


async def by_id(connection: Connection, tenant_id: str, operator_id: str) -> Any:
    query = select(operators).where(operators.c.tenant_id == tenant_id, operators.c.id == operator_id)
    return (await connection.execute(query)).first()


async def by_ids(connection: Connection, tenant_id: str, operator_ids: list[str]) -> list[Any]:
    if not operator_ids:
        return []
    query = select(operators).where(operators.c.tenant_id == tenant_id, operators.c.id.in_(operator_ids))
    return list(await connection.execute(query))


async def all_of(connection: Connection, tenant_id: str | None) -> list[Any]:
    """Every operator, of one tenant or (``None``: the command line's listing) of all."""
    query = select(operators).order_by(operators.c.tenant_id, operators.c.created_at, operators.c.id)
    if tenant_id is not None:
        query = query.where(operators.c.tenant_id == tenant_id)
    return list(await connection.execute(query))


async def change(connection: Connection, tenant_id: str, operator_id: str, **values: Any) -> None:
    await connection.execute(
        update(operators)
        .where(operators.c.tenant_id == tenant_id, operators.c.id == operator_id)
        .values(**values)
    )


async def spend_step(connection: Connection, tenant_id: str, operator_id: str, step: int) -> bool:
    """Records a TOTP step as used, unless it (or a later one) was already: two sign-ins racing with
    the same code, one wins."""
    c = operators.c
    result = await connection.execute(
        update(operators)
        .where(
            c.tenant_id == tenant_id,
            c.id == operator_id,
            (c.totp_last_step.is_(None)) | (c.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return bool(result.rowcount)


# --- sessions -------------------------------------------------------------------------------------


async def insert_session(connection: Connection, values: dict[str, Any]) -> None:
    await connection.execute(operator_sessions.insert().values(**values))


async def session(connection: Connection, id_hash: str) -> Any:
    """A session by the hash of its id, with its operator's row (a cookie names no tenant)."""
    s = operator_sessions.c
    query = (
        select(operator_sessions, operators.c.role, operators.c.disabled_at)
        .join(operators, operators.c.id == s.operator_id)
        .where(s.id_hash == id_hash, operators.c.tenant_id == s.tenant_id)
    )
    return (await connection.execute(query)).first()


async def touch_session(connection: Connection, id_hash: str, now: datetime) -> None:
    await connection.execute(
        update(operator_sessions).where(operator_sessions.c.id_hash == id_hash).values(last_seen_at=now)
    )


async def end_session(connection: Connection, id_hash: str, now: datetime) -> None:
    s = operator_sessions.c
    await connection.execute(
        update(operator_sessions).where(s.id_hash == id_hash, s.ended_at.is_(None)).values(ended_at=now)
    )


async def end_sessions_of(connection: Connection, tenant_id: str, operator_id: str, now: datetime) -> None:
    s = operator_sessions.c
    await connection.execute(
        update(operator_sessions)
        .where(s.tenant_id == tenant_id, s.operator_id == operator_id, s.ended_at.is_(None))
        .values(ended_at=now)
    )


# --- failures by address ------------------------------------------------------------------------------


async def address_failures(connection: Connection, address_index: bytes) -> Any:
    query = select(sign_in_failures).where(sign_in_failures.c.address_index == address_index)
    return (await connection.execute(query)).first()


async def put_address_failures(
    connection: Connection,
    address_index: bytes,
    *,
    failures: int,
    first_failed_at: datetime,
    locked_until: datetime | None,
    existed: bool,
) -> None:
    values = {"failures": failures, "first_failed_at": first_failed_at, "locked_until": locked_until}
    if existed:
        await connection.execute(
            update(sign_in_failures).where(sign_in_failures.c.address_index == address_index).values(**values)
        )
    else:  # two failures at once from one address: one row, one of them counted
        statement = insert_with_conflicts(connection.dialect, sign_in_failures).values(
            address_index=address_index, **values
        )
        await connection.execute(statement.on_conflict_do_nothing())


# --- key rotation ---------------------------------------------------------------------------------


async def count_by_kek_any_tenant(connection: Connection) -> dict[str, int]:
    """What each KEK wraps of operators' sealed values (emails and second-factor secrets)."""
    counts: dict[str, int] = {}
    for column in (operators.c.email_kek_id, operators.c.totp_secret_kek_id):
        query = select(column, func.count()).where(column.is_not(None)).group_by(column)
        for kek_id, count in await connection.execute(query):
            counts[kek_id] = counts.get(kek_id, 0) + count
    return counts


async def sealed_not_under_any_tenant(connection: Connection, newest: str) -> list[Any]:
    c = operators.c
    query = select(operators).where((c.email_kek_id != newest) | (c.totp_secret_kek_id != newest))
    return list(await connection.execute(query))
