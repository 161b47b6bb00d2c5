"""The EU Financial Sanctions File (FSF), as CSV or as XML: the kind is told by the file name's
extension (``.csv`` or ``.xml``; the official names are ``csvFullSanctionsList_1_1.csv`` and
``xmlFullSanctionsList_1_1.xml``).

CSV: ``;``-separated with a header row, columns read by name. Each name, address, birth date,
identity document and citizenship has a row of its own, the entity's columns repeated on each; rows
are grouped by ``Entity_LogicalId``. The CSV has no alias strength, so its aliases are all strong
(a ``NameAlias_Strong`` column would be read, should the EU add one).

XML: the root ``export`` (namespace ``http://eu.europa.ec/fpi/fsd/export``) holds ``sanctionEntity``
elements (@logicalId) with ``subjectType`` (@code person or enterprise, @classificationCode P or E),
``nameAlias`` (@wholeName, @firstName, @middleName, @lastName, @strong: "false" is a weak alias),
``birthdate`` (@birthdate, @dayOfMonth, @monthOfYear, @year, @yearRangeFrom, @yearRangeTo),
``citizenship`` and ``address`` (@countryIso2Code, else @countryDescription), ``regulation``
(@programme) and ``remark``.

The EU marks no name as the primary one: the first strong name is taken as it (the EU lists the
main name first). The logical id is the party's id. A birth-year span open at one end (only
``yearRangeTo``, "born by 1958") cannot be a ``BirthDate`` and gives nothing.
"""

from __future__ import annotations

import re
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
    year,
)
from kycrail.screening.sources.countries import country_code
from kycrail.screening.sources.errors import ListFileInvalid
from kycrail.screening.sources.xmltree import Node, parse_xml

__all__ = ["EU_CSV_FILE", "EU_XML_FILE", "parse_eu", "parse_eu_csv", "parse_eu_xml"]

EU_CSV_FILE = "csvFullSanctionsList_1_1.csv"
EU_XML_FILE = "xmlFullSanctionsList_1_1.xml"

_PARTY_TYPES = {
    "person": PartyType.individual,
    "p": PartyType.individual,
    "enterprise": PartyType.entity,
    "e": PartyType.entity,
}
_LOGICAL_ID = re.compile(r"[0-9]{1,12}")
_DATE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")
_NUMBER = re.compile(r"[0-9]{1,2}")

_CSV_REQUIRED = ("Entity_LogicalId", "NameAlias_WholeName")
_CSV_SUBJECT_TYPES = ("Entity_SubjectType_ClassificationCode", "Entity_SubjectType")


@dataclass(frozen=True, slots=True)
class _Name:
    full: str
    first: str | None
    middle: str | None
    last: str | None
    strong: bool


@dataclass(slots=True)
class _Party:
    """One logical id's values, gathered from its rows (CSV) or child elements (XML)."""

    where: Where
    party_type: PartyType | None = None
    names: list[_Name] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    address_countries: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)

    def set_type(self, code: str, where: Where) -> None:
        """The subject type, once: another on a later row contradicts it."""
        party_type = _PARTY_TYPES.get(code.strip().lower())
        if party_type is None:
            where.fail(f"unknown subject type {code[:30]!r}")
        if self.party_type is not None and self.party_type is not party_type:
            where.fail(f"subject type {code!r} contradicts an earlier row of logical id")
        self.party_type = party_type


def parse_eu(data: ListInput, name: str = EU_XML_FILE) -> list[ListEntry]:
    """The EU list from its CSV or XML file (a path or its bytes; ``name``, the file name that tells
    the kind, is what errors call bytes)."""
    file = data.name if isinstance(data, Path) else name
    suffix = Path(file).suffix.lower()
    if suffix == ".csv":
        return parse_eu_csv(data, file)
    if suffix == ".xml":
        return parse_eu_xml(data, file)
    raise ListFileInvalid(file, 0, "neither .csv nor .xml: the kind of EU file is unknown")


# --- CSV -----------------------------------------------------------------------------------------


def parse_eu_csv(data: ListInput, name: str = EU_CSV_FILE) -> list[ListEntry]:
    file = data.name if isinstance(data, Path) else name
    rows = csv_rows(decode(load(data, file), file), file, delimiter=";")
    header_line, header = next(rows, (0, []))
    columns = {clean(title): index for index, title in enumerate(header)}
    missing = [title for title in _CSV_REQUIRED if title not in columns]
    if not any(title in columns for title in _CSV_SUBJECT_TYPES):
        missing.append(_CSV_SUBJECT_TYPES[0])
    if missing:
        Where(file, header_line).fail(f"no column {', '.join(missing)} in the header")
    parties: dict[str, _Party] = {}
    for line, row in rows:
        where = Where(file, line)
        if len(row) != len(header):
            where.fail(f"{len(row)} fields where the header has {len(header)}")
        cell = _Cells(columns, row)
        logical_id = cell("Entity_LogicalId")
        if not _LOGICAL_ID.fullmatch(logical_id):
            where.fail(f"Entity_LogicalId is not a number: {logical_id[:20]!r}")
        _read_row(parties.setdefault(logical_id, _Party(where)), cell, where)
    return _entries(parties, Where(file, header_line))


class _Cells:
    """A row's cells by column title; a column the file does not have reads as empty."""

    def __init__(self, columns: dict[str, int], row: list[str]) -> None:
        self.columns = columns
        self.row = row

    def __call__(self, title: str) -> str:
        index = self.columns.get(title)
        return self.row[index].strip() if index is not None else ""


def _read_row(party: _Party, cell: _Cells, where: Where) -> None:
    code = next((cell(title) for title in _CSV_SUBJECT_TYPES if cell(title)), "")
    party.set_type(code, where)
    name = _name(
        cell("NameAlias_WholeName"),
        cell("NameAlias_FirstName"),
        cell("NameAlias_MiddleName"),
        cell("NameAlias_LastName"),
        cell("NameAlias_Strong"),
    )
    if name is not None:
        party.names.append(name)
    found = _birth_date(
        where,
        cell("BirthDate_BirthDate"),
        cell("BirthDate_Day"),
        cell("BirthDate_Month"),
        cell("BirthDate_Year"),
        cell("BirthDate_YearRangeFrom"),
        cell("BirthDate_YearRangeTo"),
    )
    if found is not None:
        party.birth_dates.append(found)
    _add_country(
        party.citizenships, cell("Citizenship_CountryIso2Code"), cell("Citizenship_CountryDescription")
    )
    _add_country(party.address_countries, cell("Address_CountryIso2Code"), cell("Address_CountryDescription"))
    if cell("Entity_Regulation_Programme"):
        party.programmes.append(cell("Entity_Regulation_Programme"))
    if cell("Entity_Remark"):
        party.remarks.append(cell("Entity_Remark"))


# --- XML -----------------------------------------------------------------------------------------


def parse_eu_xml(data: ListInput, name: str = EU_XML_FILE) -> list[ListEntry]:
    file = data.name if isinstance(data, Path) else name
    root = parse_xml(load(data, file), file)
    if root.tag != "export":
        Where(file, root.line).fail(f"the root element is {root.tag[:40]!r}, not export")
    parties: dict[str, _Party] = {}
    for node in root.all("sanctionEntity"):
        where = Where(file, node.line)
        logical_id = node.attribute("logicalId")
        if not _LOGICAL_ID.fullmatch(logical_id):
            where.fail(f"logicalId is not a number: {logical_id[:20]!r}")
        if logical_id in parties:
            where.fail(
                f"logical id {logical_id} is listed twice (first on line {parties[logical_id].where.line})"
            )
        parties[logical_id] = _read_element(node, where)
    return _entries(parties, Where(file, root.line))


def _read_element(node: Node, where: Where) -> _Party:
    party = _Party(where)
    subject = node.first("subjectType")
    code = (
        (subject.attribute("code") or subject.attribute("classificationCode")) if subject is not None else ""
    )
    party.set_type(code, where)
    for alias in node.all("nameAlias"):
        a = alias.attribute
        name = _name(a("wholeName"), a("firstName"), a("middleName"), a("lastName"), a("strong"))
        if name is not None:
            party.names.append(name)
    for element in node.all("birthdate"):
        a = element.attribute
        found = _birth_date(
            Where(where.file, element.line),
            a("birthdate"),
            a("dayOfMonth"),
            a("monthOfYear"),
            a("year"),
            a("yearRangeFrom"),
            a("yearRangeTo"),
        )
        if found is not None:
            party.birth_dates.append(found)
    for element in node.all("citizenship"):
        _add_country(
            party.citizenships, element.attribute("countryIso2Code"), element.attribute("countryDescription")
        )
    for element in node.all("address"):
        _add_country(
            party.address_countries,
            element.attribute("countryIso2Code"),
            element.attribute("countryDescription"),
        )
    party.programmes.extend(p for r in node.all("regulation") if (p := r.attribute("programme")))
    party.remarks.extend(text for remark in node.all("remark") if (text := clean(remark.text)))
    return party


# --- both ----------------------------------------------------------------------------------------


def _name(whole: str, first: str, middle: str, last: str, strong: str) -> _Name | None:
    """A name alias; its whole name is made of its parts when the EU gives only those."""
    first, middle, last = clean(first), clean(middle), clean(last)
    full = clean(whole) or " ".join(part for part in (first, middle, last) if part)
    if not full:
        return None
    return _Name(full, first or None, middle or None, last or None, strong.strip().lower() != "false")


def _small_number(text: str, where: Where, what: str) -> int | None:
    """A day or month; 0 or nothing is unknown."""
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        where.fail(f"{what} is not a number: {text[:20]!r}")
    return int(text) or None


def _birth_date(
    where: Where, full: str, day: str, month: str, year_text: str, range_from: str, range_to: str
) -> BirthDate | None:
    if full:
        match = _DATE.fullmatch(full)
        if match is None:
            where.fail(f"birth date is not YYYY-MM-DD: {full[:40]!r}")
        return birth_date(where, int(match["year"]), int(match["month"]), int(match["day"]))
    if year_text:
        month_number = _small_number(month, where, "birth month")
        day_number = _small_number(day, where, "birth day") if month_number is not None else None
        return birth_date(where, year(year_text, where, "birth year"), month_number, day_number)
    if range_from and range_to:
        start = year(range_from, where, "yearRangeFrom")
        return birth_date(where, start, year_to=year(range_to, where, "yearRangeTo"))
    return None


def _add_country(countries: list[str], iso_code: str, description: str) -> None:
    code = country_code(iso_code or description)
    if code is not None:
        countries.append(code)


def _entries(parties: dict[str, _Party], where: Where) -> list[ListEntry]:
    if not parties:
        where.fail("no entries")
    return [_entry(logical_id, party) for logical_id, party in parties.items()]


def _entry(logical_id: str, party: _Party) -> ListEntry:
    if party.party_type is None:  # pragma: no cover - set_type refuses a party without one
        party.where.fail("no subject type")
    if not party.names:
        party.where.fail(f"logical id {logical_id} has no name")
    names = unique(party.names)
    primary = next((name for name in names if name.strong), names[0])
    individual = party.party_type is PartyType.individual
    listed = [_listed(primary, NameKind.primary, individual)]
    listed += [
        _listed(n, NameKind.aka if n.strong else NameKind.weak_aka, individual)
        for n in names
        if n is not primary
    ]
    return ListEntry(
        source=Source.eu,
        source_id=logical_id,
        party_type=party.party_type,
        names=unique(listed),
        birth_dates=unique(party.birth_dates),
        citizenships=unique(party.citizenships),
        address_countries=unique(party.address_countries),
        programmes=unique(party.programmes),
        remarks=" ".join(unique(party.remarks)),
    )


def _listed(name: _Name, kind: NameKind, individual: bool) -> ListedName:
    """A person's name keeps its parts; an enterprise's is its whole name."""
    if not individual:
        return ListedName(full=name.full, kind=kind)
    return ListedName(full=name.full, kind=kind, first=name.first, middle=name.middle, last=name.last)
