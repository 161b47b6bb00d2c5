"""The lists in use, as an index in this process's memory, and a customer screened against them.

Every process builds its own index from the database, the first time a write needs one and again
whenever a list's version in use changes (checked at most every ``CHECK_SECONDS``; a customer written
within that moment of a switch is screened by the next job's pass, which runs after every update).
The build runs in a thread, off the event loop; a screening then takes a millisecond or two, and runs
inside the write that changed the name.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.customers.model import Customer
from kycrail.screening import codec, repository
from kycrail.screening.matching import DEFAULT_THRESHOLD, Hit, Index
from kycrail.screening.subjects import query_of

CHECK_SECONDS = 1.0

EntryKey = tuple[str, str]  # (source, the list's own id)


@dataclass(frozen=True, slots=True)
class Finding:
    """A hit on an entry as it stands in the version in use (its digest), ready to be recorded."""

    hit: Hit
    entry_digest: str

    @property
    def entry(self) -> EntryKey:
        return (self.hit.source.value, self.hit.source_id)

    def explanation(self) -> dict[str, Any]:
        """What the hit rests on, as JSON: it names the customer's own name tokens and date of birth,
        so it is only ever stored sealed under the customer's key."""
        hit = self.hit
        return {
            "nameKind": hit.name.kind.value,
            "nameScore": round(hit.name_score, 4),
            "tokens": [
                {
                    "customer": t.query_token,
                    "listed": t.name_token,
                    "similarity": round(t.similarity, 4),
                    "how": t.how.value,
                }
                for t in hit.tokens
            ],
            "adjustments": [
                {"factor": a.factor.value, "delta": round(a.delta, 4), "reason": a.reason}
                for a in hit.adjustments
            ],
        }


@dataclass(frozen=True, slots=True)
class Lists:
    """An index over some entries and each entry's digest: what one screening reads, whole."""

    index: Index
    digests: Mapping[EntryKey, str]

    @classmethod
    def of(cls, rows: Sequence[Any]) -> Lists:
        """From stored entry rows (``entry`` document and ``digest``)."""
        entries = [codec.from_document(row.entry) for row in rows]
        digests = {(e.source.value, e.source_id): row.digest for e, row in zip(entries, rows, strict=True)}
        return cls(Index.build(entries), digests)

    def screen(self, customer: Customer, threshold: float) -> list[Finding]:
        query = query_of(customer)
        if query is None or not self.digests:
            return []
        return [
            Finding(hit, self.digests[(hit.source.value, hit.source_id)])
            for hit in self.index.screen(query, threshold)
        ]


EMPTY = Lists(Index.build(()), {})


class Screener:
    """The lists in use in this process, kept in step with the database (``refresh``)."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._lists = EMPTY
        self._versions: dict[str, int] = {}
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()

    @property
    def versions(self) -> dict[str, int]:
        return dict(self._versions)

    async def refresh(self, engine: AsyncEngine, *, force: bool = False) -> None:
        """Load the versions in use when they changed since the last look (outside any transaction:
        the build takes a while)."""
        if not force and time.monotonic() - self._checked_at < CHECK_SECONDS:
            return
        async with self._lock:
            if not force and time.monotonic() - self._checked_at < CHECK_SECONDS:
                return  # another task looked while this one waited
            async with db.connect(engine) as connection:
                in_use = await repository.current(connection)
                if in_use != self._versions:
                    rows = await repository.entries_of(connection, sorted(in_use.values())) if in_use else []
                else:
                    rows = None
            if rows is not None:
                self._lists = await asyncio.to_thread(Lists.of, rows) if rows else EMPTY
                self._versions = in_use
            self._checked_at = time.monotonic()

    def screen(self, customer: Customer) -> list[Finding]:
        """The customer against the lists in use (as last refreshed)."""
        return self._lists.screen(customer, self.threshold)

    def entries(self, keys: Sequence[EntryKey]) -> Lists:
        """Only these entries of the lists in use (a list update's new and changed ones)."""
        wanted = set(keys)
        lists = self._lists
        kept = [e for e in lists.index.entries if (e.source.value, e.source_id) in wanted]
        return Lists(Index.build(kept), {k: d for k, d in lists.digests.items() if k in wanted})
