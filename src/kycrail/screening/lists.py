"""``kycrail lists update``: each list read from its files, written as a new version, and switched to
in one transaction (a screening sees one whole version). A list whose files are absent keeps the version
it has; a list whose file does not parse is refused whole and keeps it too; a list that did not change
writes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.db import utc_now, write_transaction
from kycrail.driver.base import Connection
from kycrail.screening import codec, repository
from kycrail.screening.entries import ListEntry, Source
from kycrail.screening.sources import read_source
from kycrail.screening.sources.errors import ListFileInvalid

Reader = Callable[[Source, Path], "list[ListEntry] | None"]


class Outcome(StrEnum):
    loaded = "loaded"  # a new version, now in use
    unchanged = "unchanged"  # the same entries as the version in use: nothing written
    absent = "absent"  # no files for it: the version in use stays
    refused = "refused"  # a file did not parse: the version in use stays


@dataclass(frozen=True, slots=True)
class SourceUpdate:
    source: Source
    outcome: Outcome
    entries: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    version_id: int | None = None
    error: str | None = None  # the file and line a refused list broke at
    changed_ids: frozenset[str] = field(default=frozenset(), repr=False)  # added or changed: screen for these


def _rows(entries: list[ListEntry]) -> tuple[list[dict[str, object]], str]:
    """The rows to store, and a digest of the whole list (order-free)."""
    rows: list[dict[str, object]] = [
        {"source_id": entry.source_id, "digest": codec.digest(entry), "entry": codec.to_document(entry)}
        for entry in entries
    ]
    whole = hashlib.sha256("\n".join(sorted(f"{r['source_id']}:{r['digest']}" for r in rows)).encode())
    return rows, whole.hexdigest()


def _duplicate(entries: list[ListEntry]) -> str | None:
    seen: set[str] = set()
    for entry in entries:
        if entry.source_id in seen:
            return entry.source_id
        seen.add(entry.source_id)
    return None


async def update_source(
    engine: AsyncEngine, source: Source, directory: Path, read: Reader = read_source
) -> SourceUpdate:
    try:
        entries = read(source, directory)
    except ListFileInvalid as invalid:
        return SourceUpdate(source, Outcome.refused, error=str(invalid))
    if entries is None:
        return SourceUpdate(source, Outcome.absent)
    twice = _duplicate(entries)
    if twice is not None:
        return SourceUpdate(source, Outcome.refused, error=f"the list names the id {twice} twice")
    rows, whole = _rows(entries)
    async with db.connect(engine) as connection:
        if await repository.current_files_digest(connection, source.value) == whole:
            return SourceUpdate(source, Outcome.unchanged, entries=len(rows))
        before = await _digests_in_use(connection, source)
    now = utc_now()
    after = {str(row["source_id"]): str(row["digest"]) for row in rows}
    added = {source_id for source_id in after if source_id not in before}
    changed = {source_id for source_id, digest in after.items() if before.get(source_id, digest) != digest}
    async with write_transaction(engine) as connection:
        version_id = await repository.new_version(connection, source.value, len(rows), whole, now)
        await repository.insert_entries(connection, version_id, rows)
        await repository.switch(connection, source.value, version_id, now)
        await repository.prune(connection, source.value)
        if added or changed:  # every customer is screened against them, by the worker (monitoring.py)
            await repository.add_job(connection, [(source.value, i) for i in sorted(added | changed)], now)
    return SourceUpdate(
        source,
        Outcome.loaded,
        entries=len(rows),
        added=len(added),
        changed=len(changed),
        removed=len(before.keys() - after.keys()),
        version_id=version_id,
        changed_ids=frozenset(added | changed),
    )


async def _digests_in_use(connection: Connection, source: Source) -> dict[str, str]:
    version_id = (await repository.current(connection)).get(source.value)
    return {} if version_id is None else await repository.digests_of(connection, version_id)


async def update_all(engine: AsyncEngine, directory: Path, read: Reader = read_source) -> list[SourceUpdate]:
    """Every list, each on its own: one refused list does not hold the others back."""
    return [await update_source(engine, source, directory, read) for source in Source]


async def entries_in_use(engine: AsyncEngine) -> tuple[dict[str, int], list[ListEntry]]:
    """The version in use of each list, and all their entries: what a screening index is built from."""
    async with db.connect(engine) as connection:
        in_use = await repository.current(connection)
        rows = await repository.entries_of(connection, sorted(in_use.values())) if in_use else []
    return in_use, [codec.from_document(row.entry) for row in rows]
