"""``kycrail lists update`` without ``--from``: each list's files fetched into a directory, under their
official names, from where they are published (``OFFICIAL_URLS``) or from a mirror serving them under
those names (``{mirror}/{name}``, KYCRAIL_SANCTIONS_MIRROR). ``update_all`` then reads the directory as it
reads an operator's ``--from DIR``.

Each source's preferred set of files is fetched (the first of ``SOURCE_FILES``: the EU's XML, the
FCDO's UK list); the other sets are there for a ``--from`` folder. Reading one list from a fallback
set would load another format (the EU's CSV has no weak aliases) or a retired list (OFSI's), and
switch the version in use to it.

A file is streamed to disk, at most ``MAX_BYTES`` of it, each read waiting at most
``TIMEOUT_SECONDS`` and the whole file ``DEADLINE_SECONDS``; redirects are followed. A source one of
whose files could not be fetched leaves none of its files in the directory: ``update_all`` finds it
absent and keeps the version in use, rather than reading half a set. An optional file the server does
not have (404, 410) is simply not there; one that failed otherwise fails its source too (OFAC's
comments carry dates of birth: a list read without them would look changed).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from kycrail import __version__
from kycrail.screening.entries import Source
from kycrail.screening.sources import OFFICIAL_URLS, SOURCE_FILES

MAX_BYTES = 200 * 1024 * 1024  # a file larger than this is refused (the EU's XML, the largest, is ~25 MB)
TIMEOUT_SECONDS = 60.0  # to connect, and between two reads
DEADLINE_SECONDS = 15 * 60.0  # a whole file
USER_AGENT = f"kycrail-lists/{__version__}"
_GONE = frozenset({404, 410})

__all__ = ["FetchFailure", "fetch_all", "url_of"]


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """A file that could not be fetched: its source then keeps the version it has."""

    source: Source
    url: str
    reason: str


class _Failed(Exception):
    def __init__(self, reason: str, *, gone: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.gone = gone  # the server has no such file (404, 410)


def url_of(name: str, mirror: str | None = None) -> str:
    """Where the file of this official name is fetched from: the mirror if there is one."""
    if mirror:
        return f"{mirror.rstrip('/')}/{name}"
    return OFFICIAL_URLS[name]


def fetch_all(
    directory: Path,
    mirror: str | None = None,
    *,
    sources: Iterable[Source] = tuple(Source),
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    deadline: float = DEADLINE_SECONDS,
) -> list[FetchFailure]:
    """Fetch each source's files into ``directory`` (the sources side by side); the files that could
    not be fetched, in the order of the sources and their files. A source with a failure has none of
    its files in ``directory``."""
    chosen = list(sources)
    stop = threading.Event()  # set when the caller is interrupted: each download ends at its next read
    with (
        httpx.Client(
            follow_redirects=True, timeout=httpx.Timeout(timeout), headers={"user-agent": USER_AGENT}
        ) as client,
        ThreadPoolExecutor(max_workers=max(1, len(chosen)), thread_name_prefix="kycrail-lists") as pool,
    ):

        def fetch(source: Source) -> list[FetchFailure]:
            return _fetch_source(client, source, directory, mirror, max_bytes, deadline, stop)

        try:
            found = list(pool.map(fetch, chosen))
        except BaseException:  # Ctrl-C: not a wait for every download to end
            stop.set()
            raise
    return [failure for failures in found for failure in failures]


def _fetch_source(
    client: httpx.Client,
    source: Source,
    directory: Path,
    mirror: str | None,
    max_bytes: int,
    deadline: float,
    stop: threading.Event,
) -> list[FetchFailure]:
    file_set = SOURCE_FILES[source][0]
    saved: list[Path] = []
    failures: list[FetchFailure] = []
    for name in file_set.names:
        url = url_of(name, mirror)
        try:
            saved.append(_download(client, url, directory / name, max_bytes, deadline, stop))
        except _Failed as failed:
            if not (failed.gone and name in file_set.optional):
                failures.append(FetchFailure(source, url, failed.reason))
    if failures:
        for path in saved:
            path.unlink(missing_ok=True)
    return failures


def _download(
    client: httpx.Client, url: str, target: Path, max_bytes: int, deadline: float, stop: threading.Event
) -> Path:
    """``url``'s body saved as ``target`` (through a ``.part`` file: ``target`` is whole or absent)."""
    partial = target.with_name(target.name + ".part")
    ends = time.monotonic() + deadline
    if stop.is_set():
        raise _Failed("interrupted")
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                reason = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
                raise _Failed(reason, gone=response.status_code in _GONE)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _Failed(f"{int(declared):,} bytes, over the cap of {max_bytes:,}")
            size = 0
            with partial.open("wb") as out:
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise _Failed(f"over the cap of {max_bytes:,} bytes")
                    if time.monotonic() > ends:
                        raise _Failed(f"not fetched within {deadline:g} s")
                    if stop.is_set():
                        raise _Failed("interrupted")
                    out.write(chunk)
        os.replace(partial, target)
    except httpx.TimeoutException as error:
        partial.unlink(missing_ok=True)
        raise _Failed(f"timed out ({type(error).__name__})") from None
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        partial.unlink(missing_ok=True)
        raise _Failed(f"{type(error).__name__}: {error}") from None
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise _Failed(f"could not be saved: {error}") from None
    except _Failed:
        partial.unlink(missing_ok=True)
        raise
    return target
