"""The UK's lists (tests/screening/sources/files/uk): the FCDO's UK Sanctions List, a real entry
(abridged) and made-up ones, and OFSI's retired ConList.csv, made up."""

from __future__ import annotations

from pathlib import Path

import pytest

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.sources.errors import ListFileInvalid
from kycrail.screening.sources.uk import parse_fcdo, parse_ofsi

FILES = Path(__file__).parent / "files" / "uk"
FCDO = FILES / "UK-Sanctions-List.csv"
OFSI = FILES / "ConList.csv"
RUSSIA = "The Russia (Sanctions) (EU Exit) Regulations 2019"


def _by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {entry.source_id: entry for entry in entries}


def test_an_entity_grouped_from_its_rows_with_its_name_in_arabic_script() -> None:
    entries = _by_id(parse_fcdo(FCDO))
    assert list(entries) == ["AFG0001", "RUS9001", "RUS9002"]
    assert entries["AFG0001"] == ListEntry(
        source=Source.uk,
        source_id="AFG0001",
        party_type=PartyType.entity,
        names=(
            ListedName("HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE", NameKind.primary),
            ListedName("HAJI KHAIRULLAH MONEY EXCHANGE", NameKind.aka),
            ListedName("حاجی خيرالله و حاجی ستار صرافی", NameKind.aka),
        ),
        address_countries=("PK", "AF"),
        programmes=("The Afghanistan (Sanctions) (EU Exit) Regulations 2020",),
    )


def test_an_individual_with_dd_mm_dates_a_variation_and_a_low_quality_alias() -> None:
    assert _by_id(parse_fcdo(FCDO))["RUS9001"] == ListEntry(
        source=Source.uk,
        source_id="RUS9001",
        party_type=PartyType.individual,
        names=(
            ListedName(
                "Ivan Petrovich EXAMPLOV", NameKind.primary, first="Ivan", middle="Petrovich", last="EXAMPLOV"
            ),
            ListedName("Ivan EXAMPLOFF", NameKind.aka, first="Ivan", last="EXAMPLOFF"),
            ListedName("Ivan EKZAMPLOV", NameKind.aka, first="Ivan", last="EKZAMPLOV"),
            ListedName("VANYA", NameKind.weak_aka, last="VANYA"),
        ),
        birth_dates=(BirthDate(1965), BirthDate(1966, 3)),
        nationalities=("RU", "BY"),
        address_countries=("RU",),
        programmes=(RUSSIA,),
        remarks="Made up for the tests, with a comma.",
    )


def test_a_ship_and_a_blank_alias_strength() -> None:
    entry = _by_id(parse_fcdo(FCDO))["RUS9002"]
    assert entry.party_type is PartyType.vessel
    assert entry.names == (ListedName("EXAMPLE STAR", NameKind.primary), ListedName("EX STAR", NameKind.aka))


def test_ofsis_consolidated_list() -> None:
    entries = _by_id(parse_ofsi(OFSI))
    assert entries["99101"] == ListEntry(
        source=Source.uk,
        source_id="99101",
        party_type=PartyType.individual,
        names=(
            ListedName("Olga EXAMPLENKO", NameKind.primary, first="Olga", last="EXAMPLENKO"),
            ListedName("Olha EXAMPLENKO", NameKind.aka, first="Olha", last="EXAMPLENKO"),
            ListedName("OLYA", NameKind.weak_aka, last="OLYA"),
        ),
        birth_dates=(BirthDate(1961, 7, 14), BirthDate(1962)),
        nationalities=("RU", "UA"),
        address_countries=("RU",),
        programmes=("Russia",),
    )
    assert entries["99102"].party_type is PartyType.entity
    assert entries["99102"].address_countries == ("TR",)


def _refused(line: int, replace: tuple[str, str], path: Path = FCDO) -> ListFileInvalid:
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    lines[line - 1] = lines[line - 1].replace(*replace)
    parse = parse_fcdo if path == FCDO else parse_ofsi
    with pytest.raises(ListFileInvalid) as refused:
        parse("\r\n".join(lines).encode())
    return refused.value


@pytest.mark.parametrize(
    ("line", "replace", "reason"),
    [
        (2, ("Unique ID", "Unique Id"), "no column Unique ID in the header"),
        (6, ("dd/mm/1965", "1965"), "D.O.B is not DD/MM/YYYY"),
        (6, ("dd/mm/1965", "31/02/1965"), "no such date of birth"),
        (7, ("dd/03/1966", "dd/13/1966"), "no month 13"),
        (11, ("Ship", "Boat"), "unknown Designation Type 'Boat'"),
        (12, ("Ship", "Entity"), "contradicts line 11"),
        (4, ("12/01/2022,AFG0001", "12/01/2022,AFG 0001"), "Unique ID is not an id"),
        (5, ("HAJI KHAIRULLAH MONEY EXCHANGE", "HAJI,KHAIRULLAH"), "59 fields where the header has 58"),
    ],
)
def test_a_broken_row_refuses_the_list_at_its_line(line: int, replace: tuple[str, str], reason: str) -> None:
    refused = _refused(line, replace)
    assert (refused.file, refused.line) == ("UK-Sanctions-List.csv", line)
    assert reason in refused.reason


def test_a_broken_ofsi_row_is_refused_at_its_line() -> None:
    refused = _refused(5, ("Low quality", "Low quality,"), OFSI)
    assert (refused.file, refused.line, refused.reason) == (
        "ConList.csv",
        5,
        "37 fields where the header has 36",
    )


def test_a_file_without_its_header_is_refused() -> None:
    with pytest.raises(ListFileInvalid, match=r"^UK-Sanctions-List\.csv line 0: no header"):
        parse_fcdo(b"Report Date: 27-Feb-2026\r\n\r\nsomething else\r\nmore\r\n")
    with pytest.raises(ListFileInvalid, match=r"^ConList\.csv line 0: no header"):
        parse_ofsi(FCDO.read_bytes())
