"""The UK's lists: the FCDO's UK Sanctions List (``UK-Sanctions-List.csv``, the one official UK list
since 28 January 2026) and OFSI's retired Consolidated List (``ConList.csv``, 2022 format).

FCDO CSV: a report-date line ("Report Date: 13-Feb-2026"), then the header, then one row per name,
grouped by ``Unique ID`` (the party's id); columns are read by title. ``Name 6`` is the surname (or
an entity's or ship's whole name) and ``Name 1`` to ``Name 5`` the other names, in order. ``Name
type`` is "Primary name", "Primary name variation" (a strong a.k.a.) or "Alias", whose ``Alias
strength`` is "Good quality a.k.a", "Low quality a.k.a" (a weak a.k.a.) or blank (strong), in any
case. ``Designation Type`` is Individual, Entity or Ship. ``D.O.B`` is DD/MM/YYYY, with an unknown
day or month written ``dd``/``mm`` (or 00). ``Regime Name`` is the programme, ``Other Information``
the remarks, and ``Name non-latin script`` the name in its own script (an a.k.a.).

OFSI ConList.csv: a "Last Updated" line, then a header of 36 columns, one row per name grouped by
``Group ID``: ``Group Type`` (Individual, Entity, Ship), ``Alias Type`` ("Primary name", "Primary
name variation", "AKA"), ``Alias Quality`` ("Good quality", "Low quality"), ``DOB``, ``Nationality``,
``Country``, ``Regime``, ``Other Information``, ``Name Non-Latin Script``.

Nationalities and dates of birth written as a numbered list ("(1) Syria (2) Iraq") are split. A
full name is written "Name 1 ... Name 5 Name 6"; only an individual's name keeps its parts (first:
Name 1, middle: Name 2 to 5, last: Name 6). An unknown name type is read as a strong a.k.a.
(screened on, never dropped); an unknown designation type, a party with two, or a D.O.B that is no
date refuses the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.sources.common import (
    ListInput,
    Where,
    birth_date,
    clean,
    csv_rows,
    decode,
    load,
    unique,
)
from kycrail.screening.sources.countries import country_codes

__all__ = ["FCDO_FILE", "OFSI_FILE", "parse_fcdo", "parse_ofsi"]

FCDO_FILE = "UK-Sanctions-List.csv"
OFSI_FILE = "ConList.csv"


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where one of the two files keeps what is read: column titles, and the header's first title."""

    header_start: str
    party_id: str
    party_type: str
    name_type: str
    alias_strength: str
    birth_date: str
    nationality: str
    address_country: str
    programme: str
    remarks: str
    non_latin: str


_FCDO = _Layout(
    header_start="Last Updated",
    party_id="Unique ID",
    party_type="Designation Type",
    name_type="Name type",
    alias_strength="Alias strength",
    birth_date="D.O.B",
    nationality="Nationality(/ies)",
    address_country="Address Country",
    programme="Regime Name",
    remarks="Other Information",
    non_latin="Name non-latin script",
)
_OFSI = _Layout(
    header_start="Name 6",
    party_id="Group ID",
    party_type="Group Type",
    name_type="Alias Type",
    alias_strength="Alias Quality",
    birth_date="DOB",
    nationality="Nationality",
    address_country="Country",
    programme="Regime",
    remarks="Other Information",
    non_latin="Name Non-Latin Script",
)

_NAME_COLUMNS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5")
_PARTY_TYPES = {"individual": PartyType.individual, "entity": PartyType.entity, "ship": PartyType.vessel}
# DD/MM/YYYY; an unknown day or month is "dd"/"mm" (or 00).
_DOB = re.compile(r"(?P<day>[0-9]{2}|dd)/(?P<month>[0-9]{2}|mm)/(?P<year>[0-9]{4})", re.IGNORECASE)
# "(1) Syria (2) Iraq": a numbered list in one cell.
_NUMBERED = re.compile(r"\(\d{1,2}\)")
_PARTY_ID = re.compile(r"[A-Za-z0-9.\-/]{1,40}")


@dataclass(slots=True)
class _Party:
    where: Where
    party_type: PartyType
    names: list[tuple[NameKind, tuple[str, ...]]] = field(default_factory=list)
    other_scripts: list[ListedName] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    address_countries: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def parse_fcdo(data: ListInput, name: str = FCDO_FILE) -> list[ListEntry]:
    """The FCDO's UK Sanctions List from its CSV file (a path or its bytes)."""
    return _parse(data, name, _FCDO)


def parse_ofsi(data: ListInput, name: str = OFSI_FILE) -> list[ListEntry]:
    """OFSI's retired Consolidated List from its 2022-format CSV file (a path or its bytes)."""
    return _parse(data, name, _OFSI)


def _parse(data: ListInput, name: str, layout: _Layout) -> list[ListEntry]:
    file = data.name if isinstance(data, Path) else name
    rows = csv_rows(decode(load(data, file), file), file)
    header_line, columns = _header(rows, file, layout)
    parties: dict[str, _Party] = {}
    for line, row in rows:
        where = Where(file, line)
        if len(row) != len(columns):
            where.fail(f"{len(row)} fields where the header has {len(columns)}")
        cells = dict(zip(columns, (cell.strip() for cell in row), strict=True))
        _read_row(parties, cells, layout, where)
    if not parties:
        Where(file, header_line).fail("no entries")
    return [_entry(party_id, party) for party_id, party in parties.items()]


def _header(rows: Iterator[tuple[int, list[str]]], file: str, layout: _Layout) -> tuple[int, list[str]]:
    """The header: the first or second line (after the date line), found by its first title."""
    for line, row in rows:
        if line > 2:
            break
        titles = [clean(title) for title in row]
        if titles[0] == layout.header_start:
            needed = [layout.party_id, layout.party_type, layout.name_type, "Name 6"]
            missing = [title for title in needed if title not in titles]
            if missing:
                Where(file, line).fail(f"no column {', '.join(missing)} in the header")
            return line, titles
    Where(file, 0).fail(f"no header (a line starting {layout.header_start!r}) on line 1 or 2")


def _read_row(parties: dict[str, _Party], cells: dict[str, str], layout: _Layout, where: Where) -> None:
    party_id = cells[layout.party_id]
    if not _PARTY_ID.fullmatch(party_id):
        where.fail(f"{layout.party_id} is not an id: {party_id[:40]!r}")
    party_type = _PARTY_TYPES.get(cells[layout.party_type].lower())
    if party_type is None:
        where.fail(f"unknown {layout.party_type} {cells[layout.party_type][:30]!r}")
    party = parties.setdefault(party_id, _Party(where, party_type))
    if party.party_type is not party_type:
        where.fail(f"{layout.party_type} {cells[layout.party_type]!r} contradicts line {party.where.line}")
    parts = tuple(clean(cells.get(column, "")) for column in (*_NAME_COLUMNS, "Name 6"))
    kind = _kind(cells[layout.name_type], cells.get(layout.alias_strength, ""))
    if any(parts):
        party.names.append((kind, parts))
    if non_latin := clean(cells.get(layout.non_latin, "")):
        # The same name in its own script: an a.k.a. as strong as the row's name.
        party.other_scripts.append(ListedName(non_latin, NameKind.aka if kind is NameKind.primary else kind))
    party.birth_dates.extend(_birth_date(dob, where) for dob in _numbered(cells.get(layout.birth_date, "")))
    party.nationalities.extend(_numbered(cells.get(layout.nationality, "")))
    party.address_countries.extend(_numbered(cells.get(layout.address_country, "")))
    if programme := clean(cells.get(layout.programme, "")):
        party.programmes.append(programme)
    if remarks := cells.get(layout.remarks, ""):
        party.remarks.append(remarks)


def _kind(name_type: str, strength: str) -> NameKind:
    name_type = clean(name_type).lower()
    if name_type == "primary name":
        return NameKind.primary
    if clean(strength).lower().startswith("low"):
        return NameKind.weak_aka
    return NameKind.aka


def _birth_date(text: str, where: Where) -> BirthDate:
    match = _DOB.fullmatch(text)
    if match is None:
        where.fail(f"D.O.B is not DD/MM/YYYY: {text[:40]!r}")
    month = int(match["month"]) if match["month"].isdigit() and match["month"] != "00" else None
    day = int(match["day"]) if match["day"].isdigit() and match["day"] != "00" and month is not None else None
    return birth_date(where, int(match["year"]), month, day)


def _numbered(text: str) -> list[str]:
    """The values of a cell that may hold a numbered list: "(1) Syria (2) Iraq"."""
    return [clean(part) for part in _NUMBERED.split(text) if clean(part)]


def _entry(party_id: str, party: _Party) -> ListEntry:
    if not party.names:
        party.where.fail(f"{party_id} has no name")
    listed = unique(_listed(kind, parts, party.party_type) for kind, parts in party.names)
    # The first primary name comes first; a second one (a repeat with other details) is an a.k.a.
    primary = next((name for name in listed if name.kind is NameKind.primary), None)
    names = [primary] if primary is not None else []
    for name in listed:
        if name is not primary:
            kind = NameKind.aka if name.kind is NameKind.primary else name.kind
            names.append(ListedName(name.full, kind, name.first, name.middle, name.last))
    return ListEntry(
        source=Source.uk,
        source_id=party_id,
        party_type=party.party_type,
        names=unique([*names, *party.other_scripts]),
        birth_dates=unique(party.birth_dates),
        nationalities=country_codes(party.nationalities),
        address_countries=country_codes(party.address_countries),
        programmes=unique(party.programmes),
        remarks=" ".join(unique(party.remarks)),
    )


def _listed(kind: NameKind, parts: tuple[str, ...], party_type: PartyType) -> ListedName:
    full = " ".join(part for part in parts if part)
    if party_type is not PartyType.individual:
        return ListedName(full=full, kind=kind)
    given = [part for part in parts[:-1] if part]
    return ListedName(
        full=full,
        kind=kind,
        first=given[0] if given else None,
        middle=" ".join(given[1:]) or None,
        last=parts[-1] or None,
    )
