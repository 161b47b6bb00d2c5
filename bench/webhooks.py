"""Webhook delivery lag (issue 13): 1,000 customer updates fanned out to 3 endpoints on loopback.

    .venv/bin/python bench/webhooks.py [--database-url postgresql://...] [--updates 1000] [--rate 50]
                                       [--worker-process]

Starts a real ``kycrail serve`` (one worker process, the webhook worker inside it, or with
``--worker-process`` a ``kycrail worker`` of its own), 3 receivers on 127.0.0.1 in a separate process
(fast, always 204, keep-alive; each records the arrival time of every message and verifies its
Standard Webhooks signature afterwards), registers 3 endpoints (``events: ["*"]``) through the API,
creates customers, then sends the updates with ``PATCH /v2/customer/{id}`` on a schedule (``--rate``
per second, open loop, at most 16 in flight; ``--rate 0``: as fast as they go), each with a unique
``meta.benchSeq``, and records when each answer arrived. Then it waits until every
endpoint got the ``customer.update`` message of every update (matched by ``meta.benchSeq``) and prints
the delivery lag (arrival - the PATCH's answer) per endpoint and overall. Target: p99 < 1 s.

Times are ``time.monotonic()`` (CLOCK_MONOTONIC, one clock for every process on the machine). SQLite
in a temporary directory unless ``--database-url`` names an existing (empty or migrated) database.
See bench/README.md, "Webhooks (issue 13): delivery lag".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import seed
import servers
from standardwebhooks.webhooks import Webhook

from kycrail.vault.keyring import create_key_file

ENDPOINTS = 3
TARGET_P99_SECONDS = 1.0
WAIT_SECONDS = 300.0  # after the last PATCH; a healthy run needs a few seconds


# --- the receivers (a process of their own, so that they never wait for the load's GIL) -----------


def _receivers_main(conn: Connection) -> None:
    """Serve ENDPOINTS receivers until told to stop; then send back every message they got."""
    lock = threading.Lock()
    got: list[list[tuple[float, dict[str, str], bytes]]] = [[] for _ in range(ENDPOINTS)]
    seen: list[set[str]] = [set() for _ in range(ENDPOINTS)]
    updates = [0] * ENDPOINTS
    httpd = []
    for index in range(ENDPOINTS):

        class Handler(BaseHTTPRequestHandler):
            endpoint = index
            protocol_version = "HTTP/1.1"  # connections kept alive, as any web server does

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                arrived = time.monotonic()
                self.send_response(204)
                self.end_headers()
                headers = {name.lower(): value for name, value in self.headers.items()}
                event = json.loads(body)
                is_update = event.get("name") == "customer.update" and "benchSeq" in (
                    event.get("data", {}).get("meta") or {}
                )
                with lock:
                    got[self.endpoint].append((arrived, headers, body))
                    message_id = headers.get("webhook-id", "")
                    if is_update and message_id not in seen[self.endpoint]:
                        seen[self.endpoint].add(message_id)
                        updates[self.endpoint] += 1

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        httpd.append(server)
    conn.send([f"http://127.0.0.1:{server.server_address[1]}/hooks/{i}" for i, server in enumerate(httpd)])
    while True:
        command = conn.recv()
        if command == "count":
            with lock:
                conn.send(list(updates))
        elif command == "stop":
            for server in httpd:
                server.shutdown()
                server.server_close()
            with lock:
                conn.send(got)
            return


# --- the load --------------------------------------------------------------------------------------


async def _register(client: httpx.AsyncClient, urls: Sequence[str]) -> list[str]:
    secrets = []
    for index, url in enumerate(urls):
        response = await client.post(
            "/v2/webhook", json={"name": f"bench {index}", "url": url, "events": ["*"]}
        )
        if response.status_code not in (200, 201):
            raise RuntimeError(f"registering {url}: HTTP {response.status_code} {response.text}")
        secrets.append(str(response.json()["secret"]))
    return secrets


async def _updates(
    client: httpx.AsyncClient, ids: Sequence[str], count: int, concurrency: int, rate: float
) -> tuple[dict[int, float], float, float]:
    """PATCH ``count`` updates (round robin over ``ids``), update ``seq`` due at ``seq / rate`` s after
    the start (open loop; ``rate`` 0: each as soon as a connection is free); {seq: time of the answer}."""
    answered: dict[int, float] = {}
    gate = asyncio.Semaphore(concurrency)
    # One customer's updates are delivered in order: patch them in order too (one at a time each).
    locks = {customer_id: asyncio.Lock() for customer_id in ids}

    async def update(seq: int) -> None:
        if rate:
            await asyncio.sleep(max(0.0, started + seq / rate - time.monotonic()))
        customer_id = ids[seq % len(ids)]
        body = {"meta": {"internalUserId": f"usr_{seq}", "benchSeq": str(seq)}}
        async with locks[customer_id], gate:
            response = await client.patch(f"/v2/customer/{customer_id}", json=body)
            answered[seq] = time.monotonic()
        if response.status_code != 200:
            raise RuntimeError(f"update {seq}: HTTP {response.status_code} {response.text}")

    started = time.monotonic()
    await asyncio.gather(*(update(seq) for seq in range(count)))
    return answered, started, time.monotonic()


def _pct(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _row(name: str, lags: Sequence[float], seconds: float) -> str:
    if not lags:
        return f"{name:<10} {0:>6}  {'-':>8} {'-':>8} {'-':>8} {'-':>8}  {'-':>8}"
    return (
        f"{name:<10} {len(lags):>6}  {statistics.median(lags) * 1000:>8.0f} {_pct(lags, 0.99) * 1000:>8.0f}"
        f" {max(lags) * 1000:>8.0f} {min(lags) * 1000:>8.0f}  {len(lags) / seconds:>8.0f}"
    )


def run(args: argparse.Namespace, workdir: Path) -> int:
    key_file = workdir / "keys.json"
    create_key_file(key_file)
    url = args.database_url or f"sqlite:///{workdir / 'kycrail.db'}"
    env = servers.clean_environment(
        {
            "KYCRAIL_DATABASE_URL": url,
            "KYCRAIL_KEY_FILE": str(key_file),
            "KYCRAIL_RATE_LIMIT_PER_SECOND": "0",
            "KYCRAIL_LOG_LEVEL": "warning",
            "KYCRAIL_WEBHOOK_ALLOW_HTTP": "true",
            "KYCRAIL_WEBHOOK_ALLOW_PRIVATE_HOSTS": "true",
        }
    )
    servers.kycrail_cli(["migrate"], env)
    servers.kycrail_cli(["tenants", "create", "bench-webhooks"], env)
    key = servers.kycrail_cli(["keys", "create", "--tenant", "bench-webhooks"], env)
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    receivers = context.Process(target=_receivers_main, args=(child,), daemon=True)
    receivers.start()
    urls: list[str] = parent.recv()
    worker = None
    if args.worker_process:
        worker = servers.start_webhook_worker(env, workdir)
        env = {**env, "KYCRAIL_WEBHOOK_WORKER": "false"}
    server = servers.start_kycrail(env, workdir)
    problems: list[str] = []
    try:
        print(f"kycrail on {url.split('@')[-1]} ({server.url}), receivers {', '.join(urls)}", file=sys.stderr)
        ids = seed.create_via_api(server.url, key, args.customers)

        async def drive() -> tuple[list[str], dict[int, float], float, float]:
            headers = {"Authorization": f"Bearer {key}"}
            async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=30) as client:
                secrets = await _register(client, urls)
                await asyncio.sleep(2.0)  # let the customers' own events (not measured) go out first
                answered, started, ended = await _updates(
                    client, ids, args.updates, args.concurrency, args.rate
                )
            return secrets, answered, started, ended

        secrets, answered, started, ended = asyncio.run(drive())
        pace = f"{args.rate:g}/s asked" if args.rate else "as fast as they go"
        print(
            f"{args.updates} updates in {ended - started:.2f} s ({args.updates / (ended - started):.0f}/s;"
            f" {pace}, at most {args.concurrency} at a time, over {args.customers} customers;"
            f" {'a worker process of its own' if worker else 'the worker inside serve'})",
            file=sys.stderr,
        )
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            parent.send("count")
            counts: list[int] = parent.recv()
            if all(count >= args.updates for count in counts) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        for process in (server, worker):
            if process is not None and not process.alive():
                problems.append(f"{process.name} died:\n{process.log_tail()}")
    finally:
        parent.send("stop")
        got: list[list[tuple[float, dict[str, str], bytes]]] = parent.recv()
        receivers.join(timeout=10)
        server.stop()
        if worker is not None:
            worker.stop()

    lags: list[list[float]] = []
    last_arrival = started
    for index, messages in enumerate(got):
        verifier = Webhook(secrets[index])
        first: dict[int, float] = {}
        bad = other = duplicates = 0
        for arrived, headers, body in messages:
            try:
                event: dict[str, Any] = verifier.verify(body, headers)
            except Exception:
                bad += 1
                continue
            seq_text = (event.get("data", {}).get("meta") or {}).get("benchSeq")
            if event.get("name") != "customer.update" or seq_text is None:
                other += 1
                continue
            seq = int(seq_text)
            if seq in first:
                duplicates += 1
            first[seq] = min(arrived, first.get(seq, arrived))
        missing = args.updates - len(first)
        if bad or missing:
            problems.append(f"endpoint {index}: {bad} bad signatures, {missing} updates never arrived")
        print(
            f"endpoint {index}: {len(messages)} messages, {len(first)} updates, {other} other"
            f" (customer.create etc.), {duplicates} duplicates, {bad} bad signatures",
            file=sys.stderr,
        )
        lags.append([first[seq] - answered[seq] for seq in sorted(first)])
        worst = sorted(first, key=lambda seq: answered[seq] - first[seq])[:3]
        print(
            "  slowest: "
            + ", ".join(
                f"update {seq} ({(first[seq] - answered[seq]) * 1000:.0f} ms,"
                f" answered {answered[seq] - started:.2f} s in)"
                for seq in worst
            ),
            file=sys.stderr,
        )
        if first:
            last_arrival = max(last_arrival, max(first.values()))

    span = last_arrival - started
    everything = [lag for one in lags for lag in one]
    print(
        f"\n{'endpoint':<10} {'msgs':>6}  {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'min ms':>8}"
        f"  {'deliv/s':>8}"
    )
    for index, one in enumerate(lags):
        print(_row(f"#{index}", one, span))
    print(_row("all", everything, span))
    p99 = _pct(everything, 0.99) if everything else float("inf")
    verdict = "PASS" if p99 < TARGET_P99_SECONDS and not problems else "FAIL"
    print(
        f"\n{verdict}: delivery lag p99 {p99 * 1000:.0f} ms (target < {TARGET_P99_SECONDS * 1000:.0f} ms);"
        f" {len(everything)} update deliveries in {span:.2f} s from the first PATCH"
        f" = {len(everything) / span:.0f} deliveries/s"
    )
    for problem in problems:
        print(f"problem: {problem}")
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", help="an existing database (default: SQLite in a temporary directory)"
    )
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16, help="connections sending the updates")
    parser.add_argument(
        "--rate",
        type=float,
        default=50.0,
        help="updates per second, sent on schedule whatever the answers (0: as fast as they go)",
    )
    parser.add_argument(
        "--worker-process",
        action="store_true",
        help="deliver from a `kycrail worker` process of its own instead of the one inside serve",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kycrail-whbench-") as workdir:
        return run(args, Path(workdir))


if __name__ == "__main__":
    sys.exit(main())
