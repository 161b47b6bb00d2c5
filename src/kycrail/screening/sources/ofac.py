"""OFAC's legacy CSV files: the SDN list (``sdn.csv``, ``add.csv``, ``alt.csv``, ``sdn_comments.csv``)
and the Consolidated non-SDN list (``cons_prim.csv``, ``cons_add.csv``, ``cons_alt.csv``,
``cons_comments.csv``), which has the same layout.

The files have no header. Text is quoted, ids are not, and an empty value is ``-0- ``. Lines end in
CRLF and the file in a lone 0x1A byte. Several programmes are written ``SDGT] [IFSR``; an entity has
no SDN_Type (``-0-``). Individuals are written "LAST, First Middle", in alt.csv as well. Remarks are
``; ``-separated items ending in a full stop, cut at 1000 characters and continued (mid-word) in the
comments file. From them come dates of birth (``DOB 10 Dec 1948``, ``DOB 1946``, ``DOB circa 1951``,
``DOB 1951 to 1953``, each also as ``alt. DOB``), nationalities, citizenships and OFAC's weak
aliases (``a.k.a. 'NAME'``, found only there: OFAC FAQ 122-124).

Remarks are free text: an item this module does not recognise stays in ``remarks`` and gives nothing
else (a ``DOB`` that is no date, e.g. "DOB 31 Feb 1950", is such an item). The columns are another
matter: a line with the wrong number of fields, an ent_num that is no number, an unknown SDN_Type, or
an address, alias or comment for an ent_num the main file does not have (the files are not one set)
refuses the list whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.sources.common import ListInput, Where, clean, csv_rows, decode, load, unique
from kycrail.screening.sources.countries import country_codes

__all__ = ["CONSOLIDATED_FILES", "SDN_FILES", "OfacFiles", "parse_ofac"]


@dataclass(frozen=True, slots=True)
class OfacFiles:
    """The official names of one OFAC list's four files."""

    primary: str
    addresses: str
    aliases: str
    comments: str

    @property
    def names(self) -> tuple[str, str, str, str]:
        return (self.primary, self.addresses, self.aliases, self.comments)


SDN_FILES = OfacFiles("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
CONSOLIDATED_FILES = OfacFiles("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")

_FILES = {Source.ofac_sdn: SDN_FILES, Source.ofac_consolidated: CONSOLIDATED_FILES}

# ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag,
# Vess_owner, Remarks
_PRIMARY_FIELDS = 12
# ent_num, add_num, Address, City/State/Province/Postal Code, Country, Add_remarks
_ADDRESS_FIELDS = 6
# ent_num, alt_num, alt_type, alt_name, alt_remarks
_ALIAS_FIELDS = 5
# ent_num, text
_COMMENT_FIELDS = 2

_NUMBER = re.compile(r"[0-9]{1,12}")
_PARTY_TYPES = {
    "": PartyType.entity,
    "individual": PartyType.individual,
    "vessel": PartyType.vessel,
    "aircraft": PartyType.aircraft,
}
_ALIAS_KINDS = {"aka": NameKind.aka, "fka": NameKind.fka, "nka": NameKind.nka}

# Remarks items. "alt. " marks a repeated item.
_ITEM_SEPARATOR = re.compile(r";\s+")
_DOB = re.compile(r"(?:alt\.\s+)?DOB\s+(?P<value>.+)", re.IGNORECASE)
_NATIONALITY = re.compile(r"(?:alt\.\s+)?nationality\s+(?P<value>.+)", re.IGNORECASE)
_CITIZEN = re.compile(r"(?:alt\.\s+)?citizen\s+(?P<value>.+)", re.IGNORECASE)
_WEAK_AKA = re.compile(r"a\.k\.a\.,?\s+(?P<quote>['\"])(?P<name>.+)(?P=quote)", re.IGNORECASE)
# DOB values: "10 Dec 1948", "Dec 1948", "1946", "1951 to 1953", each maybe after "circa".
_DATE = re.compile(
    r"(?:circa\s+)?(?:(?:(?P<day>[0-9]{1,2})\s+)?(?P<month>[A-Za-z]{3})\s+)?(?P<year>[0-9]{4})"
    r"(?:\s+to\s+(?P<year_to>[0-9]{4}))?",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}


@dataclass(slots=True)
class _Entry:
    """An ent_num's values gathered from the four files before they make a ``ListEntry``."""

    line: int
    name: str
    party_type: PartyType
    programmes: tuple[str, ...]
    remarks: str
    aliases: list[ListedName] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def parse_ofac(
    source: Source,
    primary: ListInput,
    addresses: ListInput,
    aliases: ListInput,
    comments: ListInput | None = None,
) -> list[ListEntry]:
    """One OFAC list (``Source.ofac_sdn`` or ``Source.ofac_consolidated``) from its files, each a path
    or its bytes (errors then use the official file name). The comments file is optional."""
    files = _FILES.get(source)
    if files is None:
        raise ValueError(f"{source} is not an OFAC list")
    entries = _read_primary(*_text(primary, files.primary))
    _read_addresses(entries, *_text(addresses, files.addresses))
    _read_aliases(entries, *_text(aliases, files.aliases))
    if comments is not None:
        _read_comments(entries, *_text(comments, files.comments))
    return [_entry(source, ent_num, entry) for ent_num, entry in entries.items()]


def _text(data: ListInput, official_name: str) -> tuple[str, str]:
    """The file's text and name, without the trailing 0x1A (and line breaks around it)."""
    name = data.name if isinstance(data, Path) else official_name
    raw = load(data, name).rstrip(b"\x1a\r\n")
    return decode(raw, name), name


def _value(cell: str) -> str:
    """A cell's text; OFAC's null ``-0-`` is the empty string."""
    value = cell.strip()
    return "" if value == "-0-" else value


def _remarks_text(cell: str) -> str:
    """Remarks and comments as written, spaces at either end kept: the comments continue the remarks
    exactly where they were cut, which may be at a space."""
    return "" if cell.strip() == "-0-" else cell


def _rows(text: str, file: str, width: int) -> list[tuple[Where, list[str]]]:
    """The file's rows as written, each of exactly ``width`` fields, its first an ent_num."""
    rows = []
    for line, row in csv_rows(text, file):
        where = Where(file, line)
        if len(row) != width:
            where.fail(f"{len(row)} fields where {width} are expected")
        if not _NUMBER.fullmatch(row[0].strip()):
            where.fail(f"ent_num is not a number: {row[0][:20]!r}")
        rows.append((where, [row[0].strip(), *row[1:]]))
    return rows


def _read_primary(text: str, file: str) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for where, row in _rows(text, file, _PRIMARY_FIELDS):
        ent_num, name, sdn_type = row[0], clean(_value(row[1])), _value(row[2]).lower()
        if ent_num in entries:
            where.fail(f"ent_num {ent_num} is listed twice (first on line {entries[ent_num].line})")
        if not name:
            where.fail("SDN_Name is empty")
        if sdn_type not in _PARTY_TYPES:
            where.fail(f"unknown SDN_Type {row[2][:30]!r}")
        programmes = _programmes(_value(row[3]))
        entries[ent_num] = _Entry(
            where.line, name, _PARTY_TYPES[sdn_type], programmes, _remarks_text(row[11])
        )
    if not entries:
        Where(file, 0).fail("no entries")
    return entries


def _known(entries: dict[str, _Entry], where: Where, ent_num: str) -> _Entry:
    """The entry an auxiliary file's row belongs to: one the main file does not have means the files
    are not from one publication."""
    entry = entries.get(ent_num)
    if entry is None:
        where.fail(f"ent_num {ent_num} is not in the main file")
    return entry


def _read_addresses(entries: dict[str, _Entry], text: str, file: str) -> None:
    for where, row in _rows(text, file, _ADDRESS_FIELDS):
        entry = _known(entries, where, row[0])
        if _value(row[4]):
            entry.countries.append(_value(row[4]))


def _read_aliases(entries: dict[str, _Entry], text: str, file: str) -> None:
    for where, row in _rows(text, file, _ALIAS_FIELDS):
        entry = _known(entries, where, row[0])
        name = clean(_value(row[3]))
        if not name:
            where.fail("alt_name is empty")
        # An unknown alt_type is read as a strong a.k.a.: screened on, never dropped.
        kind = _ALIAS_KINDS.get(_value(row[2]).lower().replace(".", ""), NameKind.aka)
        entry.aliases.append(_name(name, kind, entry.party_type))


def _read_comments(entries: dict[str, _Entry], text: str, file: str) -> None:
    for where, row in _rows(text, file, _COMMENT_FIELDS):
        _known(entries, where, row[0]).comments.append(_remarks_text(row[1]))


def _programmes(value: str) -> tuple[str, ...]:
    """``SDGT] [IFSR`` is two programmes."""
    return unique(part.strip(" []") for part in value.split("] [") if part.strip(" []"))


def _name(full: str, kind: NameKind, party_type: PartyType) -> ListedName:
    """An individual's name, written "LAST, First Middle", with its parts; any other name as it is
    (an entity's commas are part of its name: "CECOEX, S.A.")."""
    last, comma, given = full.partition(",")
    if party_type is not PartyType.individual or not comma or not last.strip() or not given.strip():
        return ListedName(full=full, kind=kind)
    first, _, middle = clean(given).partition(" ")
    return ListedName(full=full, kind=kind, first=first, middle=middle or None, last=last.strip())


@dataclass(slots=True)
class _Remarks:
    """What the remarks items give."""

    birth_dates: list[BirthDate] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)


def _read_remarks(remarks: str) -> _Remarks:
    found = _Remarks()
    text = remarks.strip()
    for item in _ITEM_SEPARATOR.split(text.removesuffix(".")):
        item = item.strip()
        if (match := _DOB.fullmatch(item)) is not None:
            birth_date = _birth_date(match["value"].strip())
            if birth_date is not None:
                found.birth_dates.append(birth_date)
        elif (match := _NATIONALITY.fullmatch(item)) is not None:
            found.nationalities.append(match["value"])
        elif (match := _CITIZEN.fullmatch(item)) is not None:
            found.citizenships.append(match["value"])
        elif (match := _WEAK_AKA.fullmatch(item)) is not None and clean(match["name"]):
            found.weak_aliases.append(clean(match["name"]))
    return found


def _birth_date(value: str) -> BirthDate | None:
    """A remarks DOB value, or None when it is not one of OFAC's forms or not a real date."""
    match = _DATE.fullmatch(value)
    if match is None:
        return None
    year = int(match["year"])
    year_to = int(match["year_to"]) if match["year_to"] else None
    month = _MONTHS.get(match["month"].lower()) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if match["month"] and month is None:
        return None
    if (year_to is not None and (year_to < year or month is not None)) or not _real_date(year, month, day):
        return None
    return BirthDate(year=year, month=month, day=day, year_to=year_to)


def _real_date(year: int, month: int | None, day: int | None) -> bool:
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return False
    return True


def _entry(source: Source, ent_num: str, entry: _Entry) -> ListEntry:
    remarks = entry.remarks + "".join(entry.comments)
    found = _read_remarks(remarks)
    weak = [_name(name, NameKind.weak_aka, entry.party_type) for name in found.weak_aliases]
    names = unique([_name(entry.name, NameKind.primary, entry.party_type), *entry.aliases, *weak])
    return ListEntry(
        source=source,
        source_id=ent_num,
        party_type=entry.party_type,
        names=names,
        birth_dates=unique(found.birth_dates),
        nationalities=country_codes(found.nationalities),
        citizenships=country_codes(found.citizenships),
        address_countries=country_codes(entry.countries),
        programmes=entry.programmes,
        remarks=remarks.strip(),
    )
