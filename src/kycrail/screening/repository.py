"""Every query on the sanctions lists. The lists are the service's, not a tenant's: no tenant
predicate here (a customer's screening results, which are a tenant's, live elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, update

from kycrail.db import insert_with_conflicts
from kycrail.driver.base import Connection
from kycrail.screening.tables import sanctions_current, sanctions_entries, sanctions_versions, screening_jobs

KEPT_VERSIONS = 3
_BATCH = 1000


async def new_version(
    connection: Connection, source: str, entry_count: int, files_digest: str, now: datetime
) -> int:
    result = await connection.execute(
        sanctions_versions.insert()
        .values(source=source, entry_count=entry_count, files_digest=files_digest, loaded_at=now)
        .returning(sanctions_versions.c.id)
    )
    version_id: int = result.scalar_one()
    return version_id


async def insert_entries(connection: Connection, version_id: int, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _BATCH):
        batch = [{"version_id": version_id, **row} for row in rows[start : start + _BATCH]]
        await connection.execute(sanctions_entries.insert(), batch)


async def current(connection: Connection) -> dict[str, int]:
    """The version in use of each list loaded so far."""
    rows = await connection.execute(select(sanctions_current.c.source, sanctions_current.c.version_id))
    return {row.source: row.version_id for row in rows}


async def current_files_digest(connection: Connection, source: str) -> str | None:
    query = (
        select(sanctions_versions.c.files_digest)
        .join(sanctions_current, sanctions_current.c.version_id == sanctions_versions.c.id)
        .where(sanctions_current.c.source == source)
    )
    found: str | None = (await connection.execute(query)).scalar_one_or_none()
    return found


async def switch(connection: Connection, source: str, version_id: int, now: datetime) -> None:
    """The list's version in use is ``version_id`` from now on: one statement, one switch."""
    statement = insert_with_conflicts(connection.dialect, sanctions_current).values(
        source=source, version_id=version_id, switched_at=now
    )
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=["source"], set_={"version_id": version_id, "switched_at": now}
        )
    )


async def prune(connection: Connection, source: str) -> None:
    """Only the newest ``KEPT_VERSIONS`` versions of the list stay (the one in use among them)."""
    v = sanctions_versions.c
    kept = select(v.id).where(v.source == source).order_by(v.id.desc()).limit(KEPT_VERSIONS)
    old = [
        row.id for row in await connection.execute(select(v.id).where(v.source == source, v.id.not_in(kept)))
    ]
    if old:
        await connection.execute(delete(sanctions_entries).where(sanctions_entries.c.version_id.in_(old)))
        await connection.execute(delete(sanctions_versions).where(v.id.in_(old)))


async def entries_of(connection: Connection, version_ids: list[int]) -> list[Any]:
    e = sanctions_entries.c
    query = select(e.version_id, e.source_id, e.digest, e.entry).where(e.version_id.in_(version_ids))
    return list(await connection.execute(query))


async def digests_of(connection: Connection, version_id: int) -> dict[str, str]:
    e = sanctions_entries.c
    rows = await connection.execute(select(e.source_id, e.digest).where(e.version_id == version_id))
    return {row.source_id: row.digest for row in rows}


async def versions(connection: Connection) -> list[Any]:
    v = sanctions_versions.c
    query = select(v.id, v.source, v.entry_count, v.loaded_at).order_by(v.source, v.id)
    return list(await connection.execute(query))


# --- the jobs that screen every customer again after a list update ------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    entries: list[tuple[str, str]]
    cursor: tuple[str, str] | None
    screened: int
    raised: int
    created_at: datetime


async def add_job(connection: Connection, entries: list[tuple[str, str]], now: datetime) -> None:
    await connection.execute(
        screening_jobs.insert().values(
            entries=[list(key) for key in entries], screened=0, raised=0, created_at=now
        )
    )


async def claim_job(connection: Connection, now: datetime, lease: timedelta) -> Job | None:
    """The oldest unfinished job no other worker holds, held by this one until ``now + lease``."""
    j = screening_jobs.c
    free = and_(j.finished_at.is_(None), or_(j.leased_until.is_(None), j.leased_until < now))
    row = (await connection.execute(select(screening_jobs).where(free).order_by(j.id).limit(1))).first()
    if row is None:
        return None
    claimed = await connection.execute(
        update(screening_jobs).where(j.id == row.id, free).values(leased_until=now + lease)
    )
    if not claimed.rowcount:
        return None  # another worker took it first
    cursor = (row.cursor_tenant_id, row.cursor_customer_id) if row.cursor_customer_id else None
    entries = [(str(source), str(source_id)) for source, source_id in row.entries]
    return Job(row.id, entries, cursor, row.screened, row.raised, row.created_at)


async def advance_job(
    connection: Connection,
    job_id: int,
    cursor: tuple[str, str],
    screened: int,
    raised: int,
    leased_until: datetime,
) -> None:
    await connection.execute(
        update(screening_jobs)
        .where(screening_jobs.c.id == job_id)
        .values(
            cursor_tenant_id=cursor[0],
            cursor_customer_id=cursor[1],
            screened=screened,
            raised=raised,
            leased_until=leased_until,
        )
    )


async def finish_job(connection: Connection, job_id: int, now: datetime) -> None:
    await connection.execute(
        update(screening_jobs).where(screening_jobs.c.id == job_id).values(finished_at=now, leased_until=None)
    )


async def jobs(connection: Connection) -> list[Any]:
    j = screening_jobs.c
    query = select(j.id, j.screened, j.raised, j.created_at, j.finished_at).order_by(j.id)
    return list(await connection.execute(query))
