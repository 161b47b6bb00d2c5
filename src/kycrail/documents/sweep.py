"""The object store's orphans swept: objects no document row names (a write that put its file and
died before its row committed, an erasure whose objects could not be deleted at once). Each is sealed
under a customer's key and opens for no one without its row; the sweep removes them for good. An object
younger than ``GRACE`` is left alone: its write may still be on its way to its row."""

from __future__ import annotations

from datetime import datetime, timedelta

from kycrail import db
from kycrail.documents import repository
from kycrail.storage import Storage

GRACE = timedelta(hours=1)
_BATCH = 500


async def sweep_orphans(storage: Storage, now: datetime, *, grace: timedelta = GRACE) -> int:
    """How many orphans were deleted (none without an object store)."""
    store = storage.document_store
    if store is None:
        return 0
    removed, batch = 0, []
    async for found in store.objects():
        if found.modified_at <= now - grace:
            batch.append(found.key)
        if len(batch) >= _BATCH:
            removed += await _drop_orphans(storage, batch)
            batch = []
    return removed + await _drop_orphans(storage, batch)


async def _drop_orphans(storage: Storage, keys: list[str]) -> int:
    async with db.connect(storage.engine) as connection:
        named = await repository.known_object_keys(connection, keys)
    orphans = [key for key in keys if key not in named]
    if orphans and storage.document_store is not None:
        await storage.document_store.delete(orphans)
    return len(orphans)
