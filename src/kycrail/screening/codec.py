"""A list entry as stored (JSON) and read back, and its digest: the same entry in two versions has the
same digest, whatever the order its list wrote it in."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source


def to_document(entry: ListEntry) -> dict[str, Any]:
    return {
        "source": entry.source.value,
        "source_id": entry.source_id,
        "party_type": entry.party_type.value,
        "names": [
            {"full": n.full, "kind": n.kind.value, "first": n.first, "middle": n.middle, "last": n.last}
            for n in entry.names
        ],
        "birth_dates": [
            {"year": b.year, "month": b.month, "day": b.day, "year_to": b.year_to} for b in entry.birth_dates
        ],
        "nationalities": list(entry.nationalities),
        "citizenships": list(entry.citizenships),
        "address_countries": list(entry.address_countries),
        "programmes": list(entry.programmes),
        "remarks": entry.remarks,
    }


def from_document(document: dict[str, Any]) -> ListEntry:
    return ListEntry(
        source=Source(document["source"]),
        source_id=document["source_id"],
        party_type=PartyType(document["party_type"]),
        names=tuple(
            ListedName(n["full"], NameKind(n["kind"]), n["first"], n["middle"], n["last"])
            for n in document["names"]
        ),
        birth_dates=tuple(
            BirthDate(b["year"], b["month"], b["day"], b["year_to"]) for b in document["birth_dates"]
        ),
        nationalities=tuple(document["nationalities"]),
        citizenships=tuple(document["citizenships"]),
        address_countries=tuple(document["address_countries"]),
        programmes=tuple(document["programmes"]),
        remarks=document["remarks"],
    )


def digest(entry: ListEntry) -> str:
    """Order-free: names, dates and countries are sets to a screening."""
    document = to_document(entry)
    for field in ("names", "birth_dates", "nationalities", "citizenships", "address_countries", "programmes"):
        document[field] = sorted(
            document[field], key=lambda item: orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
        )
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()
