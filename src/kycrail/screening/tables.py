"""Tables of the sanctions lists: each list's versions, their entries, and which version is in use.

A list update writes a whole new version beside the one in use, then moves ``sanctions_current`` to it
in one statement: a screening reads one whole version, never half of one. The last three versions of
each list are kept. Entries are public data (the lists are published): stored in plain.
"""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from kycrail.db import Json, UtcDateTime, metadata

sanctions_versions = Table(
    "sanctions_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(30), nullable=False),
    Column("entry_count", Integer, nullable=False),
    Column("files_digest", String(64), nullable=False),  # SHA-256 of the files it was read from
    Column("loaded_at", UtcDateTime, nullable=False),
    Index("ix_sanctions_versions_source_id", "source", "id"),
)

sanctions_entries = Table(
    "sanctions_entries",
    metadata,
    Column("version_id", Integer, ForeignKey("sanctions_versions.id"), primary_key=True),
    Column("source_id", String(100), primary_key=True),
    # SHA-256 of the entry as kycrail reads it: a later version's entry with the same digest is
    # unchanged (customers cleared against it stay cleared; no one is screened again for it).
    Column("digest", String(64), nullable=False),
    Column("entry", Json, nullable=False),  # screening/codec.py
)

sanctions_current = Table(
    "sanctions_current",
    metadata,
    Column("source", String(30), primary_key=True),
    Column("version_id", Integer, ForeignKey("sanctions_versions.id"), nullable=False),
    Column("switched_at", UtcDateTime, nullable=False),
)
