"""The UN Security Council's consolidated XML (tests/screening/sources/files/un): real entries
(abridged) and made-up ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.sources.errors import ListFileInvalid
from kycrail.screening.sources.un import parse_un

FILE = Path(__file__).parent / "files" / "un" / "consolidated.xml"


def _by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {entry.source_id: entry for entry in entries}


def test_individuals_and_entities_in_file_order() -> None:
    assert [entry.source_id for entry in parse_un(FILE)] == [
        "CDi.001",
        "CDi.003",
        "CDi.006",
        "QDi.900",
        "QDe.900",
    ]


def test_low_aliases_are_weak_and_good_ones_strong() -> None:
    assert _by_id(parse_un(FILE))["CDi.003"] == ListEntry(
        source=Source.un,
        source_id="CDi.003",
        party_type=PartyType.individual,
        names=(
            ListedName("GASTON IYAMUREMYE", NameKind.primary, first="GASTON", last="IYAMUREMYE"),
            ListedName("Rumuli", NameKind.weak_aka),
            ListedName("Byiringiro Victor Rumuli", NameKind.aka),
            ListedName("Victor Rumuri", NameKind.aka),
        ),
        birth_dates=(BirthDate(1948),),
        nationalities=("RW",),
        address_countries=("CD",),
        programmes=("DRC",),
        remarks=(
            "INTERPOL-UN Security Council Special Notice web link:"
            "https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals"
        ),
    )


def test_four_names_approximately_between_and_an_alias_without_quality() -> None:
    assert _by_id(parse_un(FILE))["QDi.900"] == ListEntry(
        source=Source.un,
        source_id="QDi.900",
        party_type=PartyType.individual,
        names=(
            ListedName(
                "ABDUL KARIM IBN EXAMPLE", NameKind.primary, first="ABDUL", middle="KARIM IBN", last="EXAMPLE"
            ),
            ListedName("Abu Example", NameKind.aka),
            ListedName("The Teacher", NameKind.weak_aka),
        ),
        birth_dates=(BirthDate(1960), BirthDate(1961, year_to=1963)),
        nationalities=("IR", "SY"),
        programmes=("Al-Qaida",),
        remarks="Made up for the tests.",
    )


def test_an_entity_with_aka_and_fka_aliases() -> None:
    assert _by_id(parse_un(FILE))["QDe.900"] == ListEntry(
        source=Source.un,
        source_id="QDe.900",
        party_type=PartyType.entity,
        names=(
            ListedName("EXAMPLE RELIEF FOUNDATION", NameKind.primary),
            ListedName("Example Relief", NameKind.aka),
            ListedName("Example Charitable Society", NameKind.fka),
        ),
        address_countries=("YE",),
        programmes=("Al-Qaida",),
    )


def test_an_empty_alias_and_an_untyped_date_give_nothing() -> None:
    entries = _by_id(parse_un(FILE))
    assert entries["CDi.001"].names == (
        ListedName("ERIC BADEGE", NameKind.primary, first="ERIC", last="BADEGE"),
    )
    assert entries["CDi.001"].nationalities == ("CD",)
    assert entries["CDi.001"].address_countries == ("RW",)
    assert entries["CDi.006"].birth_dates == (BirthDate(1978, 4, 28),)


def _refused(text: str) -> ListFileInvalid:
    with pytest.raises(ListFileInvalid) as refused:
        parse_un(text.encode())
    return refused.value


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


_DOB_1978 = "<INDIVIDUAL_DATE_OF_BIRTH>\n        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE>\n        <DATE>1978"
_DOB_1971 = "<INDIVIDUAL_DATE_OF_BIRTH>\n        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE>\n        <YEAR>1971"
_KATANGA = "<INDIVIDUAL>\n      <DATAID>6907998"


@pytest.mark.parametrize(
    ("old", "new", "at", "reason"),
    [
        ("<DATE>1978-04-28</DATE>", "<DATE>28/04/1978</DATE>", _DOB_1978[:-4], "DATE is not a date"),
        ("<DATE>1978-04-28</DATE>", "<DATE>1978-02-30</DATE>", _DOB_1978, "no such date of birth"),
        (
            "<FROM_YEAR>1961</FROM_YEAR>",
            "<FROM_YEAR>1964</FROM_YEAR>",
            "<INDIVIDUAL_DATE_OF_BIRTH>\n        <TYPE_OF_DATE>BETWEEN",
            "runs backwards",
        ),
        ("<REFERENCE_NUMBER>CDi.006</REFERENCE_NUMBER>", "", _KATANGA, "no REFERENCE_NUMBER"),
        (
            "<REFERENCE_NUMBER>CDi.006</REFERENCE_NUMBER>",
            "<REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>",
            _KATANGA,
            "CDi.001 is listed twice",
        ),
        (
            "<FIRST_NAME>EXAMPLE RELIEF FOUNDATION</FIRST_NAME>",
            "<FIRST_NAME> </FIRST_NAME>",
            "<ENTITY>\n      <DATAID>9000002",
            "no name",
        ),
        ("<YEAR>1971</YEAR>", "<YEAR>nineteen</YEAR>", _DOB_1971[:-4], "YEAR is not a year"),
        ("<YEAR>1971</YEAR>", "<YEAR>1971</YEA>", "<YEAR>1971", "not XML (mismatched tag)"),
    ],
)
def test_a_broken_element_refuses_the_list_at_its_start_tag(old: str, new: str, at: str, reason: str) -> None:
    text = FILE.read_text(encoding="utf-8").replace(old, new)
    refused = _refused(text)
    assert (refused.file, refused.line) == ("consolidated.xml", _line_of(text, at))
    assert reason in refused.reason


def test_a_dtd_is_refused_so_no_entity_can_expand() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;">]>\n'
        "<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>"
    )
    refused = _refused(bomb)
    assert (refused.line, refused.reason) == (2, "a DTD (<!DOCTYPE): refused, it could declare entities")


def test_another_root_or_no_entry_is_refused() -> None:
    assert "not CONSOLIDATED_LIST" in _refused("<export/>").reason
    assert _refused("<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>").reason == "no entries"
