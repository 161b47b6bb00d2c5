"""Metrics across the processes of ``kycrail serve`` (prometheus-client's multiprocess mode).

The main process makes a fresh directory before it starts the workers and names it in their
environment (``shared_directory``); each worker keeps its values in files of its own there, named by
its process id, and whichever worker answers a scrape reads them all (``collectors``). When a worker
ends, its gauges go (``process_ends``: they described a process that is gone) while its counts stay,
summed with the others', until the server stops and the directory is removed: a counter never goes
back because a worker was replaced (a reload, ``SIGHUP``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from prometheus_client import Metric
from prometheus_client.metrics_core import CounterMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

from kycrail.metrics.families import MULTIPROCESS_DIRECTORY, REQUEST_LABELS, Families, is_multiprocess

REQUESTS = "kycrail_http_requests"
REQUESTS_BY_PROCESS = "kycrail_process_http_requests"
_LATENCY = "kycrail_http_request_duration_seconds"


@contextmanager
def shared_directory() -> Iterator[Path]:
    """For the main process, before it starts its workers: a new, empty directory for their metric
    files, in the environment they inherit; removed, with every file in it, when the block ends."""
    directory = Path(tempfile.mkdtemp(prefix="kycrail-metrics-"))  # fresh: no file of an earlier run
    previous = os.environ.get(MULTIPROCESS_DIRECTORY)
    os.environ[MULTIPROCESS_DIRECTORY] = str(directory)
    try:
        yield directory
    finally:
        if previous is None:
            os.environ.pop(MULTIPROCESS_DIRECTORY, None)
        else:
            os.environ[MULTIPROCESS_DIRECTORY] = previous
        shutil.rmtree(directory, ignore_errors=True)


def directory() -> Path | None:
    """The directory this process shares its values in; None when it keeps them to itself."""
    named = os.environ.get(MULTIPROCESS_DIRECTORY)
    return Path(named) if named and is_multiprocess() else None


def process_ends() -> None:
    """A worker's last act: its gauges (the pool's) leave the scrapes; its counts stay."""
    shared = directory()
    if shared is not None:
        mark_process_dead(os.getpid(), str(shared))  # type: ignore[no-untyped-call]


def collectors(families: Families) -> list[Collector]:
    """What a scrape reads of the processes: every process's values when they share a directory (this
    one's otherwise), and the requests each process answered."""
    shared = directory()
    if shared is None:
        return [families.registry, _RequestsOfThisProcess(families)]
    every_process = MultiProcessCollector(None, str(shared))  # type: ignore[no-untyped-call]
    return [every_process, _RequestsByProcess(shared)]


def _requests_family() -> CounterMetricFamily:
    return CounterMetricFamily(
        REQUESTS_BY_PROCESS,
        "Requests each process answered (pid: its process id); a process that ended keeps its count "
        "until the server stops.",
        labels=["pid"],
    )


def _total_requests(metrics: Iterable[Metric]) -> float:
    return sum(
        sample.value
        for metric in metrics
        if metric.name == _LATENCY
        for sample in metric.samples
        if sample.name == _LATENCY + "_count"
    )


def with_request_counts(metrics: Iterable[Metric]) -> Iterator[Metric]:
    """``metrics``, and the requests' counter read off the latency histogram's counts (one request,
    one observation): ``kycrail_http_requests_total``, by the same labels."""
    for metric in metrics:
        yield metric
        if metric.name == _LATENCY:
            counter = CounterMetricFamily(
                REQUESTS,
                "Requests answered, by route template, method, status and dialect.",
                labels=list(REQUEST_LABELS),
            )
            for sample in metric.samples:
                if sample.name == _LATENCY + "_count":
                    labels = [sample.labels[name] for name in REQUEST_LABELS]
                    counter.add_metric(labels, sample.value)
            yield counter


class _RequestsByProcess:
    """Each process's requests, read from its own file of histograms alone (prometheus-client names a
    process's files by its id)."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared

    def collect(self) -> Iterable[Metric]:
        family = _requests_family()
        for path in sorted(self.shared.glob("histogram_*.db")):  # where the requests' latency is
            pid = path.stem.removeprefix("histogram_")
            its_own = MultiProcessCollector.merge([str(path)])  # type: ignore[no-untyped-call]
            family.add_metric([pid], _total_requests(its_own))
        yield family


class _RequestsOfThisProcess:
    def __init__(self, families: Families) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        family = _requests_family()
        family.add_metric([str(os.getpid())], _total_requests(self.families.request_seconds.collect()))
        yield family
