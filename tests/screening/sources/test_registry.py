"""``read_source``: each source's official files read from one directory; None when they are absent;
refused when they are there but broken or incomplete. And where each file is published."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kycrail.screening.entries import Source
from kycrail.screening.sources import OFFICIAL_URLS, SOURCE_FILES, ListFileInvalid, read_source
from kycrail.screening.sources.eu import parse_eu_csv, parse_eu_xml
from kycrail.screening.sources.uk import parse_fcdo, parse_ofsi

FILES = Path(__file__).parent / "files"


def _copy(directory: Path, *paths: Path) -> Path:
    for path in paths:
        shutil.copy(path, directory / path.name)
    return directory


@pytest.mark.parametrize("source", list(Source))
def test_a_source_whose_files_are_absent_gives_none(source: Source, tmp_path: Path) -> None:
    (tmp_path / "unrelated.csv").write_text("x")
    assert read_source(source, tmp_path) is None


@pytest.mark.parametrize(
    ("source", "directory", "count"),
    [
        (Source.ofac_sdn, "ofac", 8),
        (Source.ofac_consolidated, "ofac", 3),
        (Source.un, "un", 5),
        (Source.eu, "eu", 3),
        (Source.uk, "uk", 3),
    ],
)
def test_each_source_reads_its_files(source: Source, directory: str, count: int) -> None:
    entries = read_source(source, FILES / directory)
    assert entries is not None
    assert len(entries) == count
    assert {entry.source for entry in entries} == {source}


def test_the_eu_xml_is_preferred_and_the_csv_read_alone(tmp_path: Path) -> None:
    assert read_source(Source.eu, FILES / "eu") == parse_eu_xml(FILES / "eu" / "xmlFullSanctionsList_1_1.xml")
    csv = _copy(tmp_path, FILES / "eu" / "csvFullSanctionsList_1_1.csv")
    assert read_source(Source.eu, csv) == parse_eu_csv(FILES / "eu" / "csvFullSanctionsList_1_1.csv")


def test_the_fcdo_list_is_preferred_and_ofsis_read_alone(tmp_path: Path) -> None:
    assert read_source(Source.uk, FILES / "uk") == parse_fcdo(FILES / "uk" / "UK-Sanctions-List.csv")
    ofsi = _copy(tmp_path, FILES / "uk" / "ConList.csv")
    assert read_source(Source.uk, ofsi) == parse_ofsi(FILES / "uk" / "ConList.csv")


def test_an_incomplete_ofac_set_is_refused_naming_the_missing_file(tmp_path: Path) -> None:
    _copy(tmp_path, FILES / "ofac" / "sdn.csv", FILES / "ofac" / "add.csv")
    with pytest.raises(ListFileInvalid) as refused:
        read_source(Source.ofac_sdn, tmp_path)
    assert str(refused.value) == "alt.csv line 0: missing: it is read with add.csv, sdn.csv, which are there"
    # The comments file alone is a set without its main file.
    comments = tmp_path / "only"
    comments.mkdir()
    _copy(comments, FILES / "ofac" / "sdn_comments.csv")
    with pytest.raises(ListFileInvalid, match=r"^sdn\.csv line 0: missing"):
        read_source(Source.ofac_sdn, comments)


def test_a_broken_file_in_the_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "consolidated.xml").write_bytes(b"<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n</CONSOLIDATED_LIST>\n")
    with pytest.raises(ListFileInvalid, match=r"^consolidated\.xml line 3: not XML \(mismatched tag\)$"):
        read_source(Source.un, tmp_path)


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    (tmp_path / "consolidated.xml").mkdir()
    with pytest.raises(ListFileInvalid, match=r"^consolidated\.xml line 0: cannot be read"):
        read_source(Source.un, tmp_path)


def test_every_file_read_has_its_official_url() -> None:
    names = {name for file_sets in SOURCE_FILES.values() for file_set in file_sets for name in file_set.names}
    assert names == set(OFFICIAL_URLS)
    assert all(url.startswith("https://") for url in OFFICIAL_URLS.values())
    assert (
        OFFICIAL_URLS["sdn.csv"]
        == "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/sdn.csv"
    )
    assert OFFICIAL_URLS["consolidated.xml"] == "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
