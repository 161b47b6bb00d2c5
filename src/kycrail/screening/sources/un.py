"""The UN Security Council consolidated list, ``consolidated.xml``.

The root ``CONSOLIDATED_LIST`` holds ``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY``. A party's
reference number (``QDi.001``) is its id across versions, and its ``UN_LIST_TYPE`` (the sanctions
regime: "Al-Qaida", "DRC") its programme. An individual's name is FIRST_NAME to FOURTH_NAME in
order; an entity's is FIRST_NAME. The UN does not say which part is the surname: ``ListedName``
takes FIRST_NAME as the first name, the last part given as the last name, and those between as
middle names.

Aliases: ``INDIVIDUAL_ALIAS`` has QUALITY ``Good`` (a.k.a.), ``Low`` (a weak a.k.a.) or none
(a.k.a.); ``ENTITY_ALIAS`` has ``a.k.a.`` or ``f.k.a.``. An unknown quality is read as a strong
a.k.a. (screened on, never dropped); an empty alias (the UN writes one for "no alias") is skipped.
Dates of birth (``INDIVIDUAL_DATE_OF_BIRTH``) are EXACT, APPROXIMATELY or BETWEEN, with DATE
(``YYYY-MM-DD``), YEAR, or FROM_YEAR and TO_YEAR; one with no type or only a NOTE gives nothing.
Nationalities are NATIONALITY/VALUE and address countries the addresses' COUNTRY.

A party without a reference number or a name, a reference number listed twice, or a date that is
no date refuses the file, at the line of that party's element.
"""

from __future__ import annotations

import re
from pathlib import Path

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.sources.common import ListInput, Where, birth_date, clean, load, unique, year
from kycrail.screening.sources.countries import country_codes
from kycrail.screening.sources.xmltree import Node, parse_xml

__all__ = ["UN_FILE", "parse_un"]

UN_FILE = "consolidated.xml"

_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_QUALITIES = {"low": NameKind.weak_aka, "fka": NameKind.fka, "nka": NameKind.nka}
# DATE is "YYYY-MM-DD"; the UN writes an unknown month or day as 00, and sometimes a bare year.
_DATE = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})-(?P<day>[0-9]{2}))?")


def parse_un(data: ListInput, name: str = UN_FILE) -> list[ListEntry]:
    """The UN list from its XML file, a path or its bytes (``name`` is what errors call bytes)."""
    file = data.name if isinstance(data, Path) else name
    root = parse_xml(load(data, file), file)
    if root.tag != "CONSOLIDATED_LIST":
        Where(file, root.line).fail(f"the root element is {root.tag[:40]!r}, not CONSOLIDATED_LIST")
    parties = [
        *(
            (node, PartyType.individual)
            for group in root.all("INDIVIDUALS")
            for node in group.all("INDIVIDUAL")
        ),
        *((node, PartyType.entity) for group in root.all("ENTITIES") for node in group.all("ENTITY")),
    ]
    entries: dict[str, tuple[int, ListEntry]] = {}
    for node, party_type in parties:
        entry = _entry(node, party_type, Where(file, node.line))
        if entry.source_id in entries:
            first_line = entries[entry.source_id][0]
            Where(file, node.line).fail(f"{entry.source_id} is listed twice (first on line {first_line})")
        entries[entry.source_id] = (node.line, entry)
    if not entries:
        Where(file, root.line).fail("no entries")
    return [entry for _, entry in entries.values()]


def _entry(node: Node, party_type: PartyType, where: Where) -> ListEntry:
    reference = clean(node.child_text("REFERENCE_NUMBER"))
    if not reference:
        where.fail("no REFERENCE_NUMBER")
    individual = party_type is PartyType.individual
    alias_tag, address_tag = (
        ("INDIVIDUAL_ALIAS", "INDIVIDUAL_ADDRESS") if individual else ("ENTITY_ALIAS", "ENTITY_ADDRESS")
    )
    names = unique([_primary_name(node, individual, where), *_aliases(node, alias_tag)])
    programme = clean(node.child_text("UN_LIST_TYPE"))
    return ListEntry(
        source=Source.un,
        source_id=reference,
        party_type=party_type,
        names=names,
        birth_dates=unique(_birth_dates(node, where)),
        nationalities=country_codes(
            [value.text for group in node.all("NATIONALITY") for value in group.all("VALUE")]
        ),
        address_countries=country_codes([address.child_text("COUNTRY") for address in node.all(address_tag)]),
        programmes=(programme,) if programme else (),
        remarks=node.child_text("COMMENTS1"),
    )


def _primary_name(node: Node, individual: bool, where: Where) -> ListedName:
    parts = (
        [clean(node.child_text(tag)) for tag in _NAME_PARTS]
        if individual
        else [clean(node.child_text("FIRST_NAME"))]
    )
    parts = [part for part in parts if part]
    if not parts:
        where.fail("no name")
    full = " ".join(parts)
    if not individual or len(parts) == 1:
        return ListedName(full=full, kind=NameKind.primary)
    return ListedName(
        full=full, kind=NameKind.primary, first=parts[0], middle=" ".join(parts[1:-1]) or None, last=parts[-1]
    )


def _aliases(node: Node, tag: str) -> list[ListedName]:
    aliases = []
    for alias in node.all(tag):
        name = clean(alias.child_text("ALIAS_NAME"))
        if name:
            quality = alias.child_text("QUALITY").lower().replace(".", "").strip()
            aliases.append(ListedName(full=name, kind=_QUALITIES.get(quality, NameKind.aka)))
    return aliases


def _birth_dates(node: Node, entry_where: Where) -> list[BirthDate]:
    dates = []
    for element in node.all("INDIVIDUAL_DATE_OF_BIRTH"):
        where = Where(entry_where.file, element.line)
        found = _birth_date(element, where)
        if found is not None:
            dates.append(found)
    return dates


def _birth_date(element: Node, where: Where) -> BirthDate | None:
    """One date of birth: DATE, else YEAR, else FROM_YEAR to TO_YEAR (one of them alone is that
    year). EXACT and APPROXIMATELY read alike: an approximate year is the year ("circa")."""
    if date_text := element.child_text("DATE"):
        return _date(date_text, where)
    if year_text := element.child_text("YEAR"):
        return birth_date(where, year(year_text, where, "YEAR"))
    from_text, to_text = element.child_text("FROM_YEAR"), element.child_text("TO_YEAR")
    if from_text and to_text:
        return birth_date(where, year(from_text, where, "FROM_YEAR"), year_to=year(to_text, where, "TO_YEAR"))
    if from_text or to_text:
        return birth_date(where, year(from_text or to_text, where, "FROM_YEAR or TO_YEAR"))
    return None


def _date(text: str, where: Where) -> BirthDate:
    match = _DATE.fullmatch(text)
    if match is None:
        where.fail(f"DATE is not a date: {text[:40]!r}")
    month = int(match["month"]) if match["month"] and match["month"] != "00" else None
    day = int(match["day"]) if match["day"] and match["day"] != "00" and month is not None else None
    return birth_date(where, int(match["year"]), month, day)
