"""Tables of the sanctions lists: each list's versions, their entries, and which version is in use.

A list update writes a whole new version beside the one in use, then moves ``sanctions_current`` to it
in one statement: a screening reads one whole version, never half of one. The last three versions of
each list are kept. Entries are public data (the lists are published): stored in plain.
"""

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, String, Table

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

# A customer's hits: which entry (as it was: its digest), how well, and what a reviewer made of it.
# Nothing here says who the customer is: the explanation (which holds the customer's name tokens) and
# the reviewer's reason are sealed under the customer's data key, and go with it at erasure.
screening_hits = Table(
    "screening_hits",
    metadata,
    Column("id", String(36), primary_key=True),  # "hit_" + 32 hex
    Column("tenant_id", String(40), ForeignKey("tenants.id"), nullable=False),
    Column("customer_id", String(41), ForeignKey("customers.id"), nullable=False),
    Column("source", String(30), nullable=False),
    Column("source_id", String(100), nullable=False),
    Column("entry_digest", String(64), nullable=False),  # the entry as it was when the hit was raised
    Column("listed_name", String(500), nullable=False),  # the list's own name that matched (public)
    # The score in ten-thousandths (0..10000): an integer reads the same from every driver.
    Column("score_per_10k", Integer, nullable=False),
    Column("status", String(20), nullable=False),  # open | false_positive | true_match
    Column("explanation", LargeBinary, nullable=False),  # sealed: the per-token comparison, adjustments
    Column("reason", LargeBinary, nullable=True),  # sealed: the reviewer's words
    Column("resolved_by", String(100), nullable=True),  # an operator id, or a reviewer key's prefix
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_screening_hits_tenant_id_customer_id", "tenant_id", "customer_id"),
)

# After a list update: the new and changed entries, to screen every customer against. The job walks
# the customers in (tenant_id, id) order from its cursor, so a crash resumes where it stopped; a lease
# keeps two workers off the same job.
screening_jobs = Table(
    "screening_jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entries", Json, nullable=False),  # [[source, source_id], ...]
    Column("cursor_tenant_id", String(40), nullable=True),
    Column("cursor_customer_id", String(41), nullable=True),
    Column("screened", Integer, nullable=False),  # customers screened so far
    Column("raised", Integer, nullable=False),  # customers given new hits so far
    Column("leased_until", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Index("ix_screening_jobs_finished_at", "finished_at"),
)
