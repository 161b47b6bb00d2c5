"""Fetching the lists' files (kycrail/screening/fetch.py) over real HTTP, from a mirror on loopback that
serves the test files in their official formats (tests/screening/sources/files/). Nothing here reaches
the internet: the official URLs are only read, never fetched."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kycrail.screening import fetch
from kycrail.screening.entries import Source
from kycrail.screening.fetch import FetchFailure
from kycrail.screening.sources import OFFICIAL_URLS, SOURCE_FILES, read_source

FILES = Path(__file__).parent / "sources" / "files"
LOOPBACK_HOSTS = "127.0.0.1,localhost"


class MirrorServer(ThreadingHTTPServer):
    """A folder served over HTTP, with answers a test may set per file name."""

    daemon_threads = True

    def __init__(self, folder: Path) -> None:
        super().__init__(("127.0.0.1", 0), partial(_Handler, directory=str(folder)))
        self.folder = folder
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.asked: list[str] = []  # the file names asked for, in order
        self.statuses: dict[str, int] = {}  # name: answer this status instead of the file
        self.redirects: dict[str, str] = {}  # name: answer 302 to this path
        self.stalled: set[str] = set()  # name: answer nothing until the server stops
        self.undeclared: set[str] = set()  # name: answer the file without its length (to the close)
        self.released = threading.Event()


class _Handler(SimpleHTTPRequestHandler):
    server: MirrorServer

    def do_GET(self) -> None:
        name = self.path.lstrip("/")
        self.server.asked.append(name)
        if name in self.server.statuses:
            self.send_error(self.server.statuses[name])
        elif name in self.server.redirects:
            self.send_response(302)
            self.send_header("Location", self.server.redirects[name])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif name in self.server.stalled:
            self.server.released.wait(10)
        elif name in self.server.undeclared:
            self.send_response(200)
            self.end_headers()
            self.wfile.write((self.server.folder / name).read_bytes())
        else:
            super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def mirror_folder(target: Path, *folders: str) -> Path:
    """A folder of list files, as a mirror holds them (under their official names)."""
    target.mkdir()
    for folder in folders:
        for file in (FILES / folder).iterdir():
            shutil.copy(file, target / file.name)
    return target


@contextmanager
def serving(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MirrorServer]:
    """``folder`` served on loopback, reached directly whatever proxy the environment names."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, LOOPBACK_HOSTS)
    server = MirrorServer(folder)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MirrorServer]:
    with serving(mirror_folder(tmp_path / "mirror", "ofac", "un", "eu", "uk"), monkeypatch) as server:
        yield server


@pytest.fixture
def target(tmp_path: Path) -> Path:
    folder = tmp_path / "fetched"
    folder.mkdir()
    return folder


def names_in(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def test_each_lists_preferred_files_are_fetched_under_their_official_names(
    mirror: MirrorServer, target: Path
) -> None:
    assert fetch.fetch_all(target, mirror.url + "/") == []  # a trailing slash or not: the same
    assert names_in(target) == {
        *("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"),
        *("cons_prim.csv", "cons_add.csv", "cons_alt.csv"),  # cons_comments.csv: optional, 404
        "consolidated.xml",
        "xmlFullSanctionsList_1_1.xml",
        "UK-Sanctions-List.csv",
    }
    for name in names_in(target):
        assert (target / name).read_bytes() == (mirror.folder / name).read_bytes()
    # The fallbacks are for a --from folder: never fetched (the EU's CSV, OFSI's retired list).
    assert "csvFullSanctionsList_1_1.csv" not in mirror.asked
    assert "ConList.csv" not in mirror.asked
    assert "cons_comments.csv" in mirror.asked
    for source in Source:
        assert read_source(source, target), source


def test_a_missing_required_file_leaves_none_of_its_lists_files(mirror: MirrorServer, target: Path) -> None:
    mirror.statuses["alt.csv"] = 404
    failures = fetch.fetch_all(target, mirror.url)
    assert failures == [FetchFailure(Source.ofac_sdn, f"{mirror.url}/alt.csv", "HTTP 404 Not Found")]
    assert not names_in(target) & set(SOURCE_FILES[Source.ofac_sdn][0].names)  # the list is absent
    assert read_source(Source.ofac_sdn, target) is None
    assert "consolidated.xml" in names_in(target)  # the others are fetched all the same


def test_every_failed_file_of_a_list_is_named(mirror: MirrorServer, target: Path) -> None:
    mirror.statuses.update({"sdn.csv": 503, "add.csv": 404})
    failures = fetch.fetch_all(target, mirror.url, sources=[Source.ofac_sdn])
    assert [(failure.url, failure.reason) for failure in failures] == [
        (f"{mirror.url}/sdn.csv", "HTTP 503 Service Unavailable"),
        (f"{mirror.url}/add.csv", "HTTP 404 Not Found"),
    ]
    assert names_in(target) == set()


def test_an_optional_file_that_fails_otherwise_than_missing_fails_its_list(
    mirror: MirrorServer, target: Path
) -> None:
    """OFAC's comments carry dates of birth: the list read without them would look changed."""
    mirror.statuses["sdn_comments.csv"] = 500
    failures = fetch.fetch_all(target, mirror.url, sources=[Source.ofac_sdn])
    assert [failure.url for failure in failures] == [f"{mirror.url}/sdn_comments.csv"]
    assert names_in(target) == set()


def test_redirects_are_followed(mirror: MirrorServer, target: Path) -> None:
    (mirror.folder / "elsewhere.xml").write_bytes((mirror.folder / "consolidated.xml").read_bytes())
    mirror.redirects["consolidated.xml"] = "/elsewhere.xml"
    assert fetch.fetch_all(target, mirror.url, sources=[Source.un]) == []
    assert mirror.asked == ["consolidated.xml", "elsewhere.xml"]
    assert names_in(target) == {"consolidated.xml"}


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "read-to-the-cap"])
def test_a_file_over_the_cap_is_refused_and_not_kept(
    mirror: MirrorServer, target: Path, declared: bool
) -> None:
    size = (mirror.folder / "consolidated.xml").stat().st_size
    if not declared:
        mirror.undeclared.add("consolidated.xml")
    failures = fetch.fetch_all(target, mirror.url, sources=[Source.un], max_bytes=size - 1)
    assert len(failures) == 1
    assert "over the cap" in failures[0].reason
    assert failures[0].reason.startswith(f"{size:,} bytes") is declared
    assert names_in(target) == set()  # no partial file either
    assert fetch.fetch_all(target, mirror.url, sources=[Source.un], max_bytes=size) == []
    assert names_in(target) == {"consolidated.xml"}


def test_a_server_that_does_not_answer_times_out(mirror: MirrorServer, target: Path) -> None:
    mirror.stalled.add("consolidated.xml")
    failures = fetch.fetch_all(target, mirror.url, sources=[Source.un], timeout=0.2)
    assert [failure.reason for failure in failures] == ["timed out (ReadTimeout)"]
    assert names_in(target) == set()


def test_a_mirror_that_refuses_connections_fails_every_required_file(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(target, monkeypatch) as server:
        closed = server.url  # nothing listens there once the server is gone
    failures = fetch.fetch_all(target, closed, sources=[Source.un, Source.eu])
    assert [failure.url for failure in failures] == [
        f"{closed}/consolidated.xml",
        f"{closed}/xmlFullSanctionsList_1_1.xml",
    ]
    assert all(failure.reason.startswith("ConnectError: ") for failure in failures)
    assert names_in(target) == set()


def test_without_a_mirror_each_file_comes_from_its_official_url() -> None:
    for file_sets in SOURCE_FILES.values():
        for name in file_sets[0].names:
            assert fetch.url_of(name) == OFFICIAL_URLS[name]
            assert fetch.url_of(name, None) == fetch.url_of(name, "") == OFFICIAL_URLS[name]
            assert fetch.url_of(name, "https://lists.example/kyc/") == f"https://lists.example/kyc/{name}"
