"""Which findings of a write's screening are new (kycrail/customers/screening.py): an entry already on
record raises nothing again, unless it changed since a reviewer resolved it."""

from __future__ import annotations

from datetime import UTC, datetime

from kycrail.customers.screening import new_hits_of
from kycrail.screening.entries import ListedName, NameKind, PartyType, Source
from kycrail.screening.hits_repository import HitStatus, StoredHit
from kycrail.screening.matching import Hit
from kycrail.screening.screener import Finding

T0 = datetime(2026, 12, 7, tzinfo=UTC)


def finding(source_id: str, digest: str) -> Finding:
    hit = Hit(
        source=Source.ofac_sdn,
        source_id=source_id,
        party_type=PartyType.individual,
        name=ListedName("DOE, John", NameKind.primary),
        score=0.95,
        name_score=0.95,
        tokens=(),
    )
    return Finding(hit, digest)


def on_record(source_id: str, digest: str, status: HitStatus) -> StoredHit:
    return StoredHit(
        id="hit_" + source_id.zfill(32),
        tenant_id="tenant_1",
        customer_id="customer_1",
        source="ofac_sdn",
        source_id=source_id,
        entry_digest=digest,
        listed_name="DOE, John",
        score=0.95,
        status=status,
        created_at=T0,
        explanation=b"sealed",
    )


def test_only_entries_not_on_record_as_they_stand_are_new() -> None:
    known = [
        on_record("1", "d1", HitStatus.open),  # open: not again, even for a changed entry
        on_record("2", "d2", HitStatus.false_positive),  # cleared as it stood
        on_record("3", "d3", HitStatus.false_positive),  # cleared, but the entry changed since
    ]
    found = [finding("1", "d1-new"), finding("2", "d2"), finding("3", "d3-new"), finding("4", "d4")]
    new = new_hits_of(known, found)
    assert [f.hit.source_id for _, f in new] == ["3", "4"]
    assert len({hit_id for hit_id, _ in new}) == 2
    assert all(hit_id.startswith("hit_") and len(hit_id) == 36 for hit_id, _ in new)
