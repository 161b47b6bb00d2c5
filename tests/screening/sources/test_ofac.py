"""OFAC's legacy CSV files (tests/screening/sources/files/ofac): real entries (abridged) and made-up
ones, in OFAC's own bytes: CRLF, ``-0-`` nulls, the trailing 0x1A."""

from __future__ import annotations

from pathlib import Path

import pytest

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.sources.errors import ListFileInvalid
from kycrail.screening.sources.ofac import CONSOLIDATED_FILES, SDN_FILES, parse_ofac

FILES = Path(__file__).parent / "files" / "ofac"


def _sdn(**replaced: bytes) -> list[ListEntry]:
    """The SDN list from the test files, any of them replaced by other bytes."""
    files = {name: replaced.get(name, (FILES / name).read_bytes()) for name in SDN_FILES.names}
    return parse_ofac(Source.ofac_sdn, *(files[name] for name in SDN_FILES.names))


def _by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {entry.source_id: entry for entry in entries}


def test_the_files_are_in_ofacs_own_bytes() -> None:
    raw = (FILES / "sdn.csv").read_bytes()
    assert raw.endswith(b"\r\n\x1a")
    assert b"-0- ," in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_an_entity_with_its_alias_addresses_and_weak_aka_from_the_remarks() -> None:
    entries = _by_id(_sdn())
    assert list(entries) == ["306", "2686", "2679", "4108", "4234", "90001", "90002", "90003"]
    assert entries["306"] == ListEntry(
        source=Source.ofac_sdn,
        source_id="306",
        party_type=PartyType.entity,
        names=(
            ListedName("BANCO NACIONAL DE CUBA", NameKind.primary),
            ListedName("NATIONAL BANK OF CUBA", NameKind.aka),
            ListedName("BNC", NameKind.weak_aka),
        ),
        address_countries=("CH", "ES", "JP", "PA"),
        programmes=("CUBA",),
        remarks="a.k.a. 'BNC'.",
    )


def test_an_individual_with_three_programmes_and_alt_dobs() -> None:
    entry = _by_id(_sdn())["2686"]
    assert entry.party_type is PartyType.individual
    assert entry.names == (
        ListedName("NASRALLAH, Hasan", NameKind.primary, first="Hasan", last="NASRALLAH"),
        ListedName(
            "NASRALLAH, Hasan Abd-al-Karim",
            NameKind.aka,
            first="Hasan",
            middle="Abd-al-Karim",
            last="NASRALLAH",
        ),
    )
    assert entry.birth_dates == (
        BirthDate(1960, 8, 31),
        BirthDate(1953, 8, 31),
        BirthDate(1955, 8, 31),
        BirthDate(1958, 8, 31),
    )
    assert entry.programmes == ("SDGT", "SDT", "SYRIA")
    assert entry.address_countries == ("LB",)


def test_remarks_continued_in_the_comments_file_give_circa_spans_countries_and_the_weak_aka() -> None:
    assert _by_id(_sdn())["90001"] == ListEntry(
        source=Source.ofac_sdn,
        source_id="90001",
        party_type=PartyType.individual,
        names=(
            ListedName("EXAMPLE, John Paul", NameKind.primary, first="John", middle="Paul", last="EXAMPLE"),
            ListedName("EXAMPLE, Jonathan", NameKind.fka, first="Jonathan", last="EXAMPLE"),
            ListedName("EXEMPLAR, John Paul", NameKind.nka, first="John", middle="Paul", last="EXEMPLAR"),
            # Cut mid-word in sdn.csv ('JOHNNY EXAM), continued in sdn_comments.csv (PLE').
            ListedName("JOHNNY EXAMPLE", NameKind.weak_aka),
        ),
        birth_dates=(BirthDate(1951), BirthDate(1951, year_to=1953)),
        nationalities=("IR", "RU"),
        citizenships=("KP",),
        # "undetermined" is no country; "Netherlands Antilles" maps to no code and keeps its text.
        address_countries=("CD", "NETHERLANDS ANTILLES"),
        programmes=("IRAN", "SDGT"),
        remarks=(
            "DOB circa 1951; alt. DOB 1951 to 1953; nationality Iran; alt. nationality Russia; "
            "citizen Korea, North; a.k.a. 'JOHNNY EXAMPLE'; Linked To: EXAMPLE TRADING CO., LTD."
        ),
    )


def test_remarks_cut_at_a_space_keep_it() -> None:
    entry = _by_id(_sdn())["90003"]
    assert entry.remarks == "Linked To: EXAMPLE, John Paul; a.k.a. 'EXTRACO'."
    assert entry.names[-1] == ListedName("EXTRACO", NameKind.weak_aka)


def test_party_types_and_names_that_are_not_a_persons() -> None:
    entries = _by_id(_sdn())
    assert entries["4234"].party_type is PartyType.vessel
    assert entries["90002"].party_type is PartyType.aircraft
    # An aircraft's (or entity's) comma is part of its name, not "LAST, First".
    assert entries["90002"].names == (ListedName("SKY EXAMPLE, AIRLINER", NameKind.primary),)
    assert entries["90002"].address_countries == ("MM",)
    assert entries["4108"].names[1:] == (
        ListedName("EL SENOR", NameKind.weak_aka),
        ListedName("DOCTOR M.R.O.", NameKind.weak_aka),
    )


def test_plain_line_ends_and_no_0x1a_read_the_same() -> None:
    plain = {
        name: (FILES / name).read_bytes().rstrip(b"\x1a").replace(b"\r\n", b"\n") for name in SDN_FILES.names
    }
    assert _sdn(**plain) == _sdn()


def test_the_consolidated_list_reads_without_its_comments_file() -> None:
    primary, addresses, aliases, _ = (FILES / name for name in CONSOLIDATED_FILES.names)
    entries = _by_id(parse_ofac(Source.ofac_consolidated, primary, addresses, aliases))
    assert entries["9647"] == ListEntry(
        source=Source.ofac_consolidated,
        source_id="9647",
        party_type=PartyType.individual,
        names=(
            ListedName(
                "ZAHHAR, Mahmoud Khaled", NameKind.primary, first="Mahmoud", middle="Khaled", last="ZAHHAR"
            ),
            ListedName("ZAHAR, Mahmoud", NameKind.weak_aka, first="Mahmoud", last="ZAHAR"),
            ListedName("AL-ZAHAR, Mahmoud", NameKind.weak_aka, first="Mahmoud", last="AL-ZAHAR"),
        ),
        birth_dates=(BirthDate(1945),),
        nationalities=("PALESTINIAN",),  # a demonym: no code, kept as text
        programmes=("SDGT", "NS-PLC"),
        remarks=(
            "DOB 1945; POB Gaza Strip; nationality Palestinian; Gender Male; a.k.a. 'ZAHAR, Mahmoud'; "
            "a.k.a. 'AL-ZAHAR, Mahmoud'; Linked To: HAMAS."
        ),
    )
    assert entries["90101"].programmes == ("UKRAINE-EO13662", "RUSSIA-EO14024")
    assert entries["90101"].source is Source.ofac_consolidated


def test_a_dob_that_is_no_date_stays_in_the_remarks_only() -> None:
    sdn = b'1,"DOE, Jane","individual","SDGT"' + b",-0- " * 7 + b',"DOB 31 Feb 1950; DOB sometime."\r\n'
    (entry,) = _sdn(**{"sdn.csv": sdn, "add.csv": b"", "alt.csv": b"", "sdn_comments.csv": b""})
    assert entry.birth_dates == ()
    assert entry.remarks == "DOB 31 Feb 1950; DOB sometime."


def _refused(**replaced: bytes) -> ListFileInvalid:
    with pytest.raises(ListFileInvalid) as refused:
        _sdn(**replaced)
    return refused.value


def _with_line(name: str, line: int, text: bytes) -> bytes:
    """The test file with its line ``line`` (1-based) replaced."""
    lines = (FILES / name).read_bytes().split(b"\r\n")
    lines[line - 1] = text
    return b"\r\n".join(lines)


@pytest.mark.parametrize(
    ("name", "line", "text", "reason"),
    [
        ("sdn.csv", 3, b'2679,"FADLALLAH","individual"', "3 fields where 12 are expected"),
        ("sdn.csv", 5, b'X4234,"HERMANN","vessel",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ', "ent_num"),
        (
            "sdn.csv",
            5,
            b'4234,"HERMANN","boat",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
            "unknown SDN_Type",
        ),
        (
            "sdn.csv",
            5,
            b'306,"HERMANN","vessel",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
            "listed twice",
        ),
        ("sdn.csv", 5, b'4234,"HER"MANN","vessel",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ', "not CSV"),
        (
            "sdn.csv",
            5,
            b'4234,"HERMANN \xff","vessel",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
            "not UTF-8",
        ),
        (
            "sdn.csv",
            5,
            b'4234,"HER\x00MANN","vessel",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
            "control",
        ),
        ("add.csv", 2, b'777,200,-0- ,"Madrid E-28036","Spain",-0- ', "ent_num 777 is not in the main file"),
        ("alt.csv", 4, b'90001,99102,"nka",-0- ,-0- ', "alt_name is empty"),
        ("sdn_comments.csv", 1, b'12345,"more"', "ent_num 12345 is not in the main file"),
    ],
)
def test_a_broken_line_refuses_the_list_naming_file_and_line(
    name: str, line: int, text: bytes, reason: str
) -> None:
    refused = _refused(**{name: _with_line(name, line, text)})
    assert (refused.file, refused.line) == (name, line)
    assert reason in refused.reason
    assert str(refused).startswith(f"{name} line {line}: ")


def test_an_empty_main_file_is_refused() -> None:
    refused = _refused(**{"sdn.csv": b"\x1a"})
    assert (refused.file, refused.line, refused.reason) == ("sdn.csv", 0, "no entries")


def test_a_path_names_the_file_it_was_read_from(tmp_path: Path) -> None:
    broken = tmp_path / "sdn-2026-02-27.csv"
    broken.write_bytes(b'1,"ONE"\r\n')
    with pytest.raises(ListFileInvalid, match=r"^sdn-2026-02-27\.csv line 1: 2 fields"):
        parse_ofac(Source.ofac_sdn, broken, FILES / "add.csv", FILES / "alt.csv")
