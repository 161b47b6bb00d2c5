"""The EU Financial Sanctions File, XML and CSV (tests/screening/sources/files/eu): a real entry
(abridged) and made-up ones, the same in both files but for what the CSV cannot say."""

from __future__ import annotations

from pathlib import Path

import pytest

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.sources.errors import ListFileInvalid
from kycrail.screening.sources.eu import parse_eu, parse_eu_csv, parse_eu_xml

FILES = Path(__file__).parent / "files" / "eu"
XML = FILES / "xmlFullSanctionsList_1_1.xml"
CSV = FILES / "csvFullSanctionsList_1_1.csv"

SADDAM = ListEntry(
    source=Source.eu,
    source_id="13",
    party_type=PartyType.individual,
    names=(
        ListedName("Saddam Hussein Al-Tikriti", NameKind.primary, first="Saddam", last="Hussein Al-Tikriti"),
        ListedName("Abu Ali", NameKind.aka),
        ListedName("Abou Ali", NameKind.aka),
    ),
    birth_dates=(BirthDate(1937, 4, 28),),
    citizenships=("IQ",),
    programmes=("IRQ",),
    remarks="(UNSC RESOLUTION 1483)",
)


def _by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {entry.source_id: entry for entry in entries}


def test_the_xml_and_the_csv_give_the_same_real_entry() -> None:
    assert _by_id(parse_eu_xml(XML))["13"] == SADDAM
    assert _by_id(parse_eu_csv(CSV))["13"] == SADDAM
    assert [entry.source_id for entry in parse_eu_csv(CSV)] == ["13", "900001", "900002"]


def test_the_xml_says_which_aliases_are_weak() -> None:
    assert _by_id(parse_eu_xml(XML))["900001"] == ListEntry(
        source=Source.eu,
        source_id="900001",
        party_type=PartyType.individual,
        names=(
            ListedName(
                "Ivan Petrovich Examplov", NameKind.primary, first="Ivan", middle="Petrovich", last="Examplov"
            ),
            ListedName("Vanya", NameKind.weak_aka),
            ListedName(
                "Иван Петрович Экзамплов", NameKind.aka, first="Иван", middle="Петрович", last="Экзамплов"
            ),
        ),
        # A year; a span of years; a span open below gives nothing.
        birth_dates=(BirthDate(1965), BirthDate(1966, year_to=1968)),
        citizenships=("RU",),
        address_countries=("RU",),  # "00" is the EU's unknown country
        programmes=("UKR", "RUS"),
    )
    assert _by_id(parse_eu_xml(XML))["900002"] == ListEntry(
        source=Source.eu,
        source_id="900002",
        party_type=PartyType.entity,
        names=(ListedName("Example Shipping LLC", NameKind.primary), ListedName("ExShip", NameKind.weak_aka)),
        address_countries=("AE",),
        programmes=("RUS",),
    )


def test_the_csv_has_no_alias_strength_and_groups_rows_that_are_apart() -> None:
    entry = _by_id(parse_eu_csv(CSV))["900001"]
    assert entry.names == (
        ListedName(
            "Ivan Petrovich Examplov", NameKind.primary, first="Ivan", middle="Petrovich", last="Examplov"
        ),
        ListedName("Vanya", NameKind.aka),
    )
    assert entry.birth_dates == (BirthDate(1965), BirthDate(1966, year_to=1968))
    assert entry.citizenships == ("RU",)  # from the description: the code was empty
    assert entry.address_countries == ("RU",)  # from the last row, after another entity's
    assert entry.remarks == "Made up; for the tests"  # a quoted ";" stays in the field


def test_the_kind_of_file_is_told_by_its_name() -> None:
    assert parse_eu(XML) == parse_eu_xml(XML)
    assert parse_eu(CSV.read_bytes(), "csvFullSanctionsList_1_1.csv") == parse_eu_csv(CSV)
    with pytest.raises(ListFileInvalid, match=r"^list\.txt line 0: neither \.csv nor \.xml"):
        parse_eu(b"", "list.txt")


def _csv_refused(line: int, replace: tuple[str, str]) -> ListFileInvalid:
    lines = CSV.read_text(encoding="utf-8-sig").split("\n")
    lines[line - 1] = lines[line - 1].replace(*replace)
    with pytest.raises(ListFileInvalid) as refused:
        parse_eu_csv("\n".join(lines).encode())
    return refused.value


@pytest.mark.parametrize(
    ("line", "replace", "reason"),
    [
        (1, ("NameAlias_WholeName", "NameAlias_Whole"), "no column NameAlias_WholeName in the header"),
        (3, ("Abu Ali;", "Abu;Ali;"), "119 fields where the header has 118"),
        (4, ("27/02/2026;13;", "27/02/2026;thirteen;"), "Entity_LogicalId is not a number"),
        (5, ("1937-04-28", "28.04.1937"), "birth date is not YYYY-MM-DD"),
        (10, (";1966;1968;", ";1968;1966;"), "runs backwards"),
        (7, (";P;person;", ";P;organisation;"), "unknown subject type"),
        (8, (";P;person;", ";E;enterprise;"), "contradicts"),
    ],
)
def test_a_broken_csv_row_refuses_the_list_at_its_line(
    line: int, replace: tuple[str, str], reason: str
) -> None:
    refused = _csv_refused(line, replace)
    assert (refused.file, refused.line) == ("csvFullSanctionsList_1_1.csv", line)
    assert reason in refused.reason


def _xml_refused(old: str, new: str) -> tuple[ListFileInvalid, str]:
    text = XML.read_text(encoding="utf-8").replace(old, new).replace('wholeName="ExShip"', 'wholeName=""')
    with pytest.raises(ListFileInvalid) as refused:
        parse_eu_xml(text.encode())
    return refused.value, text


@pytest.mark.parametrize(
    ("old", "new", "at", "reason"),
    [
        (
            'birthdate="1937-04-28"',
            'birthdate="1937-13-28"',
            '<birthdate circa="false" calendarType',
            "no month 13",
        ),
        ('yearRangeFrom="1966"', 'yearRangeFrom="66"', 'yearRangeFrom="66"', "yearRangeFrom is not a year"),
        ('logicalId="900002"', 'logicalId="13"', 'euReferenceNumber="EU.9000.2"', "listed twice"),
        (
            '<subjectType code="enterprise" classificationCode="E"/>',
            "",
            'euReferenceNumber="EU.9000.2"',
            "unknown subject type ''",
        ),
        ('wholeName="Example Shipping LLC"', 'wholeName=" "', 'euReferenceNumber="EU.9000.2"', "has no name"),
    ],
)
def test_a_broken_xml_element_refuses_the_list_at_its_line(old: str, new: str, at: str, reason: str) -> None:
    refused, text = _xml_refused(old, new)
    line = text[: text.index(at)].count("\n") + 1
    assert (refused.file, refused.line) == ("xmlFullSanctionsList_1_1.xml", line)
    assert reason in refused.reason
