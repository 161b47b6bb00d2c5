"""`kycrail lists update --from DIR` and `kycrail lists status`, in-process on the test database, with
the lists' test files in their official formats (tests/screening/sources/files/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kycrail.cli import main

FILES = Path(__file__).parent / "screening" / "sources" / "files"


@pytest.fixture(autouse=True)
def _use_test_database(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", database_url)


def _run(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    assert main(list(args)) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def downloaded(tmp_path: Path, *folders: str) -> Path:
    """A folder of list files, as an operator would have downloaded them."""
    target = tmp_path / "lists"
    target.mkdir()
    for folder in folders:
        for file in (FILES / folder).iterdir():
            shutil.copy(file, target / file.name)
    return target


def test_update_loads_each_list_found_and_status_shows_the_versions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    directory = downloaded(tmp_path, "ofac", "un")
    out, _ = _run(capsys, "lists", "update", "--from", str(directory))
    lines = {line.split(":")[0]: line for line in out.splitlines()}
    assert "loaded" in lines["ofac_sdn"]
    assert "now in use" in lines["ofac_sdn"]
    assert "loaded" in lines["un"]
    assert "no files" in lines["eu"]
    again, _ = _run(capsys, "lists", "update", "--from", str(directory))
    assert "ofac_sdn: unchanged" in again
    status, _ = _run(capsys, "lists", "status")
    rows = [line.split() for line in status.splitlines()]
    assert rows[0] == ["LIST", "VERSION", "ENTRIES", "LOADED", "IN", "USE"]
    assert {row[0] for row in rows[1:] if row[-1] == "yes"} >= {"ofac_sdn", "un"}


def test_a_file_that_does_not_parse_is_refused_and_the_version_in_use_stays(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    directory = downloaded(tmp_path, "ofac")
    _run(capsys, "lists", "update", "--from", str(directory))
    sdn = directory / "sdn.csv"
    sdn.write_bytes(b'99999,"A ROW OF TWO FIELDS"\r\n' + sdn.read_bytes())  # a row of 2 fields, not 12
    _, err = _run(capsys, "lists", "update", "--from", str(directory), code=1)
    assert "ofac_sdn refused, the version in use stays: sdn.csv line 1:" in err
    status, _ = _run(capsys, "lists", "status")
    assert sum(1 for line in status.splitlines() if line.startswith("ofac_sdn")) == 1


def test_a_missing_folder_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, err = _run(capsys, "lists", "update", "--from", str(tmp_path / "nowhere"), code=2)
    assert "no such directory" in err
