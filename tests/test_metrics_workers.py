"""``/metrics`` across `kycrail serve --workers 2` (issue 24, item 8, "done when"): a scrape, whichever
worker answers it, counts the requests both workers answered; a worker replaced by a reload keeps its
counts; the workers' metric files go when the server stops.

Which worker answered is told by prometheus-client's own bookkeeping: each process keeps its values in
a file named by its process id, and ``kycrail_process_http_requests_total{pid}`` is read from each
file alone. The proof that both were counted: the total for the route equals the requests sent, while
each of two processes answered fewer than all of them.
"""

from __future__ import annotations

import os
import secrets
import signal
import sys
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.processes import free_port, running
from tests.waiting import eventually_sync

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="reads the workers' /proc entries"),
]

TOKEN = "metrics-" + secrets.token_urlsafe(24)
SCRAPE = {"Authorization": f"Bearer {TOKEN}"}
READY = ("kycrail_http_requests_total", "/readyz", "GET", "200", "other")
MAX_REQUESTS = 600  # the kernel gives new connections to both workers long before this
RELOAD_SECONDS = 90  # granian replaces the workers one after the other, 3.5 s apart, then stops the old


def scrape(client: httpx.Client) -> list[tuple[str, dict[str, str], float]]:
    answer = client.get("/metrics", headers=SCRAPE)
    assert answer.status_code == 200, answer.text
    return [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    ]


def by_process(found: list[tuple[str, dict[str, str], float]]) -> dict[str, float]:
    return {
        labels["pid"]: count for name, labels, count in found if name == "kycrail_process_http_requests_total"
    }


def all_requests(found: list[tuple[str, dict[str, str], float]]) -> float:
    return sum(count for name, _, count in found if name == "kycrail_http_requests_total")


def ready_requests(found: list[tuple[str, dict[str, str], float]]) -> float:
    name, route, method, status, dialect = READY
    wanted = {"route": route, "method": method, "status": status, "dialect": dialect}
    return sum(count for found_name, labels, count in found if found_name == name and labels == wanted)


def live_processes(found: list[tuple[str, dict[str, str], float]]) -> set[str]:
    """The processes whose gauges are in the scrape: they go when a process ends."""
    return {labels["pid"] for name, labels, _ in found if name == "kycrail_db_pool_size"}


def proc_field(pid: str, name: str) -> str:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return next(line.split(":", 1)[1].strip() for line in lines if line.startswith(f"{name}:"))


def metrics_directory(pid: str) -> Path:
    """Where a worker keeps its metric files: the file it maps for its histograms tells."""
    mapped = Path(f"/proc/{pid}/maps").read_text().split()
    return Path(next(path for path in mapped if path.endswith(f"/histogram_{pid}.db"))).parent


def test_a_scrape_counts_the_requests_of_both_workers_and_of_a_worker_that_was_replaced(
    database_url: str,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"KYCRAIL_DATABASE_URL": database_url, "KYCRAIL_METRICS_TOKEN": TOKEN}
    with running(["serve", "--port", str(port), "--workers", "2"], env, f"{base}/healthz"):
        fresh = httpx.Limits(max_keepalive_connections=0)  # a new connection each: either worker takes it
        with httpx.Client(base_url=base, limits=fresh, timeout=10) as client:
            sent = 0
            while True:
                for _ in range(10):
                    assert client.get("/readyz").status_code == 200
                    sent += 1
                found = scrape(client)
                answered = {pid: count for pid, count in by_process(found).items() if count > 0}
                if len(answered) >= 2:
                    break
                assert sent < MAX_REQUESTS, f"one worker answered all {sent} requests: {answered}"

            # Every request sent, counted once, whichever worker answered this scrape...
            assert ready_requests(found) == sent
            # ...and each worker's file holds part of the count, which together make all of it.
            total = all_requests(found)
            assert sum(answered.values()) == total
            assert all(0 < count < total for count in answered.values())
            workers = set(answered)
            assert live_processes(found) == workers
            main = {proc_field(pid, "PPid") for pid in workers}
            assert len(main) == 1, "two workers of one server"
            directory = metrics_directory(next(iter(workers)))
            assert {f"histogram_{pid}.db" for pid in workers} <= {path.name for path in directory.iterdir()}

            # A reload replaces both workers: their counts stay, their gauges go.
            os.kill(int(main.pop()), signal.SIGHUP)

            def scrape_once_replaced() -> list[tuple[str, dict[str, str], float]]:
                """A scrape once both new workers are live and none of the old ones is (else nothing)."""
                found = scrape(client)
                live = live_processes(found)
                return found if len(live) == 2 and not live & workers else []

            after = eventually_sync(
                scrape_once_replaced,
                RELOAD_SECONDS,
                describe=lambda: f"the old workers still live: {live_processes(scrape(client)) & workers}",
            )
            assert ready_requests(after) == sent
            ended = {pid: by_process(after)[pid] for pid in workers}  # what they answered, scrapes included
            assert all(ended[pid] >= answered[pid] for pid in workers)
            again = scrape(client)
            assert {pid: by_process(again)[pid] for pid in workers} == ended  # kept as they left them
            assert sum(by_process(again).values()) == all_requests(again)
    assert not directory.exists(), "the workers' metric files outlive the server"
