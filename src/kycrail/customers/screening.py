"""A write's sanctions screening: what a screening found that is not on record yet, the hits raised
before the write's own event (so that no event of the write says "approved" for a customer it put
back in review), and the hit rows, written in the write's transaction (customers/service.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from kycrail.customers import lifecycle, repository
from kycrail.customers.lifecycle import (
    ApplicantUpdated,
    FieldsSupplied,
    HitsRaised,
    KycImported,
    Party,
    Transition,
)
from kycrail.customers.model import Customer
from kycrail.db import utc_now
from kycrail.driver.base import Connection
from kycrail.screening import hits_repository as hits
from kycrail.screening.hits_repository import HitStatus, StoredHit
from kycrail.screening.screener import Finding, Lists
from kycrail.screening.subjects import needs_screening
from kycrail.storage import Storage

NewHit = tuple[str, Finding]  # a hit's new id, and what it rests on

# The events that may bring a new name, date of birth or country: the screener is brought up to date
# (a query, at most once a second) before their transaction, so that the screening inside it is quick.
MAY_RENAME = (FieldsSupplied, KycImported, ApplicantUpdated)


def new_hits_of(known: Sequence[StoredHit], found: Sequence[Finding]) -> list[NewHit]:
    """What a screening found that is not on record yet, each with a new hit id. An entry with a hit
    open on the customer, or one a reviewer resolved as the entry still stands (same digest), raises
    nothing again; an entry that changed since raises a new hit."""
    on_record = {(h.source, h.source_id, h.entry_digest) for h in known}
    open_now = {(h.source, h.source_id) for h in known if h.status is HitStatus.open}
    return [
        ("hit_" + uuid.uuid4().hex, finding)
        for finding in found
        if finding.entry not in open_now and (*finding.entry, finding.entry_digest) not in on_record
    ]


def raised_before(
    base: Customer, event: lifecycle.Event | None, new_hits: Sequence[NewHit], party: Party
) -> list[Transition]:
    """The hits raised on ``base`` first, then ``event`` (if any) on the result: the write's hits hold
    the customer back before the event can approve it, so no outgoing event ever says "approved" for a
    customer its own write put back in review."""
    if not new_hits:
        return [lifecycle.apply(base, event, party, utc_now())] if event is not None else []
    raised = lifecycle.apply(base, HitsRaised(tuple(hit_id for hit_id, _ in new_hits)), party, utc_now())
    if event is None:
        return [raised]
    return [raised, lifecycle.apply(raised.customer, event, party, utc_now())]


async def write_hits(
    connection: Connection, storage: Storage, customer: Customer, new_hits: Sequence[NewHit]
) -> None:
    if not new_hits:
        return
    key = await repository.data_key(connection, storage.vault, customer.tenant_id, customer.id)
    now = utc_now()
    await hits.insert(
        connection,
        [
            StoredHit(
                id=hit_id,
                tenant_id=customer.tenant_id,
                customer_id=customer.id,
                source=finding.hit.source.value,
                source_id=finding.hit.source_id,
                entry_digest=finding.entry_digest,
                listed_name=finding.hit.name.full[:500],
                score=round(finding.hit.score, 4),
                status=HitStatus.open,
                created_at=now,
                explanation=hits.seal_explanation(key, hit_id, customer.id, finding.explanation()),
            )
            for hit_id, finding in new_hits
        ],
    )


async def screened(
    connection: Connection,
    storage: Storage,
    party: Party,
    current: Customer,
    event: lifecycle.Event | None,
    lists: Lists | None,
) -> tuple[list[Transition], list[NewHit]]:
    """The write's transitions: the event's own, or, when the customer it leaves matches list entries
    not on record, the hits raised first and the event after them (``raised_before``). Without an
    event: the hits alone, or nothing."""
    made = [lifecycle.apply(current, event, party, utc_now())] if event is not None else []
    after = made[-1].customer if made else current
    if event is not None and not needs_screening(current, after):
        return made, []
    known = await hits.of_customer(connection, current.tenant_id, current.id)
    if lists is not None:
        found = lists.screen(after, storage.screener.threshold)
    else:
        found = storage.screener.screen(after)
    new_hits = new_hits_of(known, found)
    if not new_hits:
        return made, []
    return raised_before(current, event, new_hits, party), new_hits
