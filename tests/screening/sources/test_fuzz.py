"""Hostile input: random bytes, and the test files with lines broken at random, fed to every parser.
Each either reads the file or refuses it with ``ListFileInvalid`` naming a line that is in the file;
no other exception escapes (the caller catches only that one)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kycrail.screening.entries import ListEntry, Source
from kycrail.screening.sources.errors import ListFileInvalid
from kycrail.screening.sources.eu import parse_eu_csv, parse_eu_xml
from kycrail.screening.sources.ofac import SDN_FILES, parse_ofac
from kycrail.screening.sources.uk import parse_fcdo, parse_ofsi
from kycrail.screening.sources.un import parse_un

pytestmark = pytest.mark.slow

FILES = Path(__file__).parent / "files"
OFAC = {name: (FILES / "ofac" / name).read_bytes() for name in SDN_FILES.names}


def _ofac(fuzzed: str) -> Callable[[bytes], list[ListEntry]]:
    """The SDN list with one of its four files replaced by the fuzzed bytes."""

    def parse(data: bytes) -> list[ListEntry]:
        files = {**OFAC, fuzzed: data}
        return parse_ofac(Source.ofac_sdn, *(files[name] for name in SDN_FILES.names))

    return parse


# Each parser, the file name it reports, and the test file its mutations start from.
PARSERS: dict[str, tuple[Callable[[bytes], list[ListEntry]], Path]] = {
    **{name: (_ofac(name), FILES / "ofac" / name) for name in SDN_FILES.names},
    "consolidated.xml": (parse_un, FILES / "un" / "consolidated.xml"),
    "csvFullSanctionsList_1_1.csv": (parse_eu_csv, FILES / "eu" / "csvFullSanctionsList_1_1.csv"),
    "xmlFullSanctionsList_1_1.xml": (parse_eu_xml, FILES / "eu" / "xmlFullSanctionsList_1_1.xml"),
    "UK-Sanctions-List.csv": (parse_fcdo, FILES / "uk" / "UK-Sanctions-List.csv"),
    "ConList.csv": (parse_ofsi, FILES / "uk" / "ConList.csv"),
}

FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# What breaks the formats: their separators, quotes, markup, line ends, OFAC's null and end byte,
# control characters, bytes that are not UTF-8, and text outside ASCII.
_PIECES = st.sampled_from(
    [
        b",",
        b";",
        b'"',
        b"'",
        b"<",
        b">",
        b"/",
        b"&",
        b"&amp;",
        b"-0- ",
        b"\r\n",
        b"\n",
        b"\r",
        b"\x1a",
        b"\x00",
        b"\xff",
        b"\xc3",
        b"] [",
        b"(1)",
        b"dd",
        b"mm",
        b"/",
        b"-",
        b"0",
        b"9",
        b"1937",
        b"99999999999999999999",
        "É".encode(),
        "\u202e".encode(),
        b"<!DOCTYPE x>",
        b"]]>",
        b"<![CDATA[",
        b"\t",
        b" ",
    ]
)
_INSERT = st.one_of(_PIECES, st.binary(max_size=12))


def _outcome(name: str, parse: Callable[[bytes], list[ListEntry]], data: bytes) -> None:
    try:
        entries = parse(data)
    except ListFileInvalid as error:
        refused = error
    else:
        assert entries
        assert all(isinstance(entry, ListEntry) and entry.names for entry in entries)
        return
    assert str(refused) == f"{refused.file} line {refused.line}: {refused.reason}"
    assert refused.reason
    if refused.file == name:
        assert 0 <= refused.line <= data.count(b"\n") + data.count(b"\r") + 1


@st.composite
def _mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """The file with one to four lines deleted, doubled or broken by insertions, or cut short."""
    lines = original.split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "double", "insert", "replace", "cut"]))
        line = lines[index]
        at = draw(st.integers(0, len(line)))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "double":
            lines.insert(index, line)
        elif action == "insert":
            lines[index] = line[:at] + draw(_INSERT) + line[at:]
        elif action == "replace":
            lines[index] = line[:at] + draw(_INSERT) + line[at + draw(st.integers(1, 8)) :]
        elif action == "cut":
            lines = [*lines[:index], line[:at]]
    return b"\n".join(lines)


@pytest.mark.parametrize("name", list(PARSERS))
@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes_are_read_or_refused(name: str, data: bytes) -> None:
    parse, _ = PARSERS[name]
    _outcome(name, parse, data)


@pytest.mark.parametrize("name", list(PARSERS))
@FUZZ
@given(data=st.data())
def test_broken_lines_of_a_real_file_are_read_or_refused(name: str, data: st.DataObject) -> None:
    parse, original = PARSERS[name]
    _outcome(name, parse, data.draw(_mutated(original.read_bytes())))
