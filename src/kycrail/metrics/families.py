"""Every metric a process keeps, made once per process.

prometheus-client decides where a metric keeps its values when it makes them: in the process's memory,
or, with ``PROMETHEUS_MULTIPROC_DIR`` set, in files of the process's own in that directory, which the
process answering a scrape reads together with every other's (``multiprocess``). A worker of
``kycrail serve`` is forked from the main process, which made its metrics before that directory
existed: ``for_this_process`` makes them again in the worker, in files named by its process id.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, values

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"  # prometheus-client's own setting
# Requests take 1-2 ms when the database answers at once; a slow provider call takes seconds.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
REQUEST_LABELS = ("route", "method", "status", "dialect")
PROVIDER_LABELS = ("provider", "operation", "outcome")


class Families:
    """The metrics a process counts as it works (what the database says is read at scrape time:
    ``database``). Labels hold route templates and names from fixed sets, never an id or a value."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        # The requests' counter is this histogram's count, written out at scrape time
        # (``multiprocess.with_request_counts``): a request costs one observation, and no increment.
        self.request_seconds = Histogram(
            "kycrail_http_request_duration_seconds",
            "Time from a request's arrival in the app to the end of its answer.",
            REQUEST_LABELS,
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        # Gauges of one process: with several, one series per live process (a "pid" label).
        self.pool_size = Gauge(
            "kycrail_db_pool_size",
            "Database connections this process may hold (KYCRAIL_DATABASE_POOL_SIZE).",
            multiprocess_mode="liveall",
            registry=registry,
        )
        self.pool_in_use = Gauge(
            "kycrail_db_pool_connections_in_use",
            "Database connections lent to requests and background work now.",
            multiprocess_mode="liveall",
            registry=registry,
        )
        self.pool_waiting = Gauge(
            "kycrail_db_pool_lends_waiting",
            "Requests for a database connection waiting now, every one being in use.",
            multiprocess_mode="liveall",
            registry=registry,
        )
        self.pool_waits = Counter(
            "kycrail_db_pool_waits",
            "Requests for a database connection that had to wait for one.",
            registry=registry,
        )
        self.pool_wait_seconds = Counter(
            "kycrail_db_pool_wait_seconds",
            "Time spent waiting for a database connection, all waits together.",
            registry=registry,
        )
        self.provider_calls = Counter(
            "kycrail_provider_calls",
            "Calls to a KYC provider (each attempt), by operation and outcome (ok, or the error's kind).",
            PROVIDER_LABELS,
            registry=registry,
        )


_current: Families | None = None


def current() -> Families:
    """This process's metrics."""
    global _current
    if _current is None:
        _current = Families()
    return _current


def for_this_process() -> Families:
    """The metrics made anew, for a process forked from one that made them already: in a file of its
    own in ``PROMETHEUS_MULTIPROC_DIR`` when that is set, else in its memory."""
    global _current
    if os.environ.get(MULTIPROCESS_DIRECTORY):
        # A value class bound to this process id (the parent's is bound to the parent's files).
        values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]
    else:
        values.ValueClass = values.MutexValue
    _current = Families()
    return _current


def is_multiprocess() -> bool:
    """Whether this process keeps its values in files shared with the others."""
    return values.ValueClass is not values.MutexValue
