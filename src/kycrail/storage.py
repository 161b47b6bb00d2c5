"""Where customers live: the database, and the vault their personal data is sealed with."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.documents.store import S3Store
from kycrail.screening.screener import Screener
from kycrail.vault.vault import Vault


@dataclass(frozen=True, slots=True)
class Storage:
    engine: AsyncEngine
    vault: Vault
    # Set when a write in this process appends to the outbox: wakes this process's webhook worker at
    # once (a worker in another process polls). Set before the commit: the worker lingers a moment.
    outbox_written: asyncio.Event = field(default_factory=asyncio.Event, compare=False)
    # The sanctions lists in use, as this process's index (screening/screener.py).
    screener: Screener = field(default_factory=Screener, compare=False)
    # Where documents' sealed files go: an object store (KYCRAIL_DOCUMENT_STORE=s3://...), or None for
    # the documents table itself.
    document_store: S3Store | None = field(default=None, compare=False)
