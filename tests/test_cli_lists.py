"""`kycrail lists update --from DIR`, `kycrail lists update` (fetched from a mirror on loopback) and
`kycrail lists status`, in-process on the test database, with the lists' test files in their official
formats (tests/screening/sources/files/)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kycrail.cli import main
from kycrail.screening.entries import Source
from tests.screening.test_fetch import MirrorServer, mirror_folder, serving

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


def first_lines(out: str) -> dict[str, str]:
    """Each list's first line: what became of it (a loaded list's second says who screens for it)."""
    lines: dict[str, str] = {}
    for line in out.splitlines():
        lines.setdefault(line.split(":")[0], line)
    return lines


def test_update_loads_each_list_found_and_status_shows_the_versions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    directory = downloaded(tmp_path, "ofac", "un")
    out, _ = _run(capsys, "lists", "update", "--from", str(directory))
    lines = first_lines(out)
    assert "loaded" in lines["ofac_sdn"]
    assert "ofac_sdn: every customer is screened against its" in out  # the job the worker takes
    assert "now in use" in lines["ofac_sdn"]
    assert "loaded" in lines["un"]
    assert "no files" in lines["eu"]
    again, _ = _run(capsys, "lists", "update", "--from", str(directory))
    assert "ofac_sdn: unchanged" in again
    status, _ = _run(capsys, "lists", "status")
    rows = [line.split() for line in status.splitlines()]
    assert rows[0] == ["LIST", "VERSION", "ENTRIES", "LOADED", "IN", "USE"]
    assert {row[0] for row in rows[1:] if row[-1] == "yes"} >= {"ofac_sdn", "un"}
    waiting = status.splitlines()[-1]  # one job per list loaded, none worked yet (no worker here)
    assert waiting.startswith("screening every customer again after an update: job ")
    assert waiting.count(": 0 screened so far") == sum("loaded" in line for line in lines.values())


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


# --- fetched, without --from: from a mirror on loopback (tests/screening/test_fetch.py) ------------------


@pytest.fixture
def mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MirrorServer]:
    with serving(mirror_folder(tmp_path / "mirror", "ofac", "un", "eu", "uk"), monkeypatch) as server:
        monkeypatch.setenv("KYCRAIL_SANCTIONS_MIRROR", server.url)
        yield server


def in_use(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """Each list's version in use, as `lists status` shows them."""
    status, _ = _run(capsys, "lists", "status")
    return {row[0]: row[1] for row in (line.split() for line in status.splitlines()[1:]) if row[-1] == "yes"}


def test_update_without_from_fetches_every_list_and_loads_it(
    capsys: pytest.CaptureFixture[str], mirror: MirrorServer
) -> None:
    out, err = _run(capsys, "lists", "update")
    assert err == ""
    lines = first_lines(out)
    assert set(lines) == {source.value for source in Source}
    assert all("now in use" in line for line in lines.values()), out
    assert set(in_use(capsys)) == {source.value for source in Source}
    again, _ = _run(capsys, "lists", "update")
    assert all(": unchanged (" in line for line in again.splitlines()), again


def test_a_file_the_mirror_does_not_have_keeps_its_lists_version_and_the_others_load(
    capsys: pytest.CaptureFixture[str], mirror: MirrorServer
) -> None:
    mirror.statuses["alt.csv"] = 404
    out, err = _run(capsys, "lists", "update", code=1)
    assert err.splitlines() == [f"kycrail: ofac_sdn: {mirror.url}/alt.csv: HTTP 404 Not Found"]
    lines = first_lines(out)
    assert lines["ofac_sdn"] == "ofac_sdn: not fetched; the version in use stays"
    assert all("now in use" in lines[source.value] for source in Source if source is not Source.ofac_sdn)
    assert "ofac_sdn" not in in_use(capsys)

    del mirror.statuses["alt.csv"]
    _run(capsys, "lists", "update")
    loaded = in_use(capsys)
    assert "ofac_sdn" in loaded
    mirror.statuses["sdn.csv"] = 500
    _, err = _run(capsys, "lists", "update", code=1)
    assert f"{mirror.url}/sdn.csv: HTTP 500 Internal Server Error" in err
    assert in_use(capsys) == loaded  # the version in use stays, every list's
