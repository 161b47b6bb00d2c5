"""CPU per request inside the app, kycrail beside the baseline: a steady yardstick for one change.

wrk's requests/s on a 2-core machine moves 10-20% from run to run; the CPU a request costs the app
moves less (on a noisy virtual machine it moves too: alternate two versions several times and compare
the lowest figures). This drives both ASGI apps directly (no sockets, no HTTP parsing: that part is the
server's and the same for both), one request after another on uvloop, and reports the process CPU time
per request (every thread's, so SQLite's waiting threads are counted) and kycrail's cost as a multiple
of the baseline's. ``--profile`` prints where kycrail's time goes (cProfile, sorted by own time).

    .venv/bin/python bench/app_cpu.py                              # SQLite in a temporary directory
    .venv/bin/python bench/app_cpu.py --database-url postgresql://postgres@127.0.0.1:5432/kycrail_cpu
    .venv/bin/python bench/app_cpu.py --only get --profile

The PostgreSQL database must exist and be empty or kycrail's; it is migrated, and customers are added
(to a tenant of the run's own, sealed under a key file made for the run in a temporary directory).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline_app import create_app as create_baseline_app
from seed import individual_body

from kycrail import migrate
from kycrail.app import create_app
from kycrail.config import load_settings, to_async_database_url
from kycrail.db import create_engine
from kycrail.tenants import service as tenants
from kycrail.vault.keyring import create_key_file

PATCH_BODY = (Path(__file__).resolve().parent / "scenarios" / "patch_body.json").read_bytes()
CUSTOMERS = 200

Asgi = Callable[..., Any]


class Answer:
    def __init__(self) -> None:
        self.status = 0
        self.body = b""


async def call(app: Asgi, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> Answer:
    """One request through the ASGI app, as the server would hand it over."""
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()]
        + [(b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    answer = Answer()

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)  # a disconnect never comes while the app is answering
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    await app(scope, receive, send)
    return answer


class Lifespan:
    """Runs an app's lifespan (engine, caches) around the measurement, as the server does."""

    def __init__(self, app: Asgi) -> None:
        self.app = app
        self.shutdown = asyncio.Event()
        self.ready = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Lifespan:
        messages = iter([{"type": "lifespan.startup"}])

        async def receive() -> dict[str, Any]:
            try:
                return next(messages)
            except StopIteration:
                await self.shutdown.wait()
                return {"type": "lifespan.shutdown"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"].startswith("lifespan.startup"):
                self.ready.set()

        self.task = asyncio.create_task(self.app({"type": "lifespan", "state": {}}, receive, send))
        await self.ready.wait()
        return self

    async def __aexit__(self, *_: object) -> None:
        self.shutdown.set()
        assert self.task is not None
        await self.task


def scenarios(ids: list[str]) -> dict[str, Callable[[int], tuple[str, str, bytes]]]:
    return {
        "get": lambda i: ("GET", f"/v2/customer/{ids[i % len(ids)]}", b""),
        "patch": lambda i: ("PATCH", f"/v2/customer/{ids[i % len(ids)]}", PATCH_BODY),
        "list-v2": lambda i: ("GET", "/v2/customer?page=1&limit=50", b""),
        "list-v1": lambda i: ("GET", "/v1/customers?limit=50", b""),
    }


async def measure(args: argparse.Namespace, database_url: str, key_file: Path) -> None:
    settings = load_settings(
        database_url=database_url, rate_limit_per_second=0, log_level="warning", key_file=key_file
    )
    engine = create_engine(settings.database_url)
    await migrate.upgrade(engine)
    key = (await tenants.create_key(engine, f"app-cpu-{os.getpid()}")).secret
    await engine.dispose()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    app = create_app(settings)
    async with Lifespan(app):
        ids = []
        for index in range(CUSTOMERS):
            body = json.dumps(individual_body(index)).encode()
            created = await call(app, "POST", "/v2/customer", headers, body)
            ids.append(json.loads(created.body)["id"])
        made = scenarios(ids)
        customer = json.loads((await call(app, "GET", f"/v2/customer/{ids[0]}", headers)).body)
        fixture = {
            "customer": customer,
            "patched": customer,
            "etag": '"1"',
            "list_v2": json.loads((await call(app, "GET", "/v2/customer?page=1&limit=50", headers)).body),
            "list_v1": json.loads((await call(app, "GET", "/v1/customers?limit=50", headers)).body),
        }
        baseline = create_baseline_app(fixture)
        chosen = args.only.split(",") if args.only else list(made)
        print(f"{'scenario':10} {'kycrail us':>11} {'baseline us':>12} {'x baseline':>11}")
        for name in chosen:
            ours = await cpu_per_request(app, headers, made[name], args.requests, args.profile)
            theirs = await cpu_per_request(baseline, headers, made[name], args.requests, False)
            print(f"{name:10} {ours:11.0f} {theirs:12.0f} {ours / theirs:11.1f}")


async def cpu_per_request(
    app: Asgi,
    headers: dict[str, str],
    make: Callable[[int], tuple[str, str, bytes]],
    count: int,
    profile: bool,
) -> float:
    """Microseconds of process CPU per request, after a warm-up of a tenth as many."""

    async def run() -> float:
        for i in range(count // 10):
            method, path, body = make(i)
            await call(app, method, path, headers, body)
        started = time.process_time()
        for i in range(count):
            method, path, body = make(i)
            answer = await call(app, method, path, headers, body)
            if answer.status >= 300:
                raise SystemExit(f"{method} {path} answered {answer.status}: {answer.body[:300]!r}")
        return (time.process_time() - started) / count * 1e6

    if not profile:
        return await run()
    profiler = cProfile.Profile()
    profiler.enable()
    result = await run()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    parser.add_argument("--only", help="comma-separated: get, patch, list-v2, list-v1")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{directory}/app-cpu.sqlite3"
        # A key file of the run's own, on either database (PostgreSQL requires one): the customers
        # it seals are the run's own tenant's, never read by another run.
        key_file = Path(directory) / "app-cpu.keys"
        create_key_file(key_file)
        uvloop.run(measure(args, to_async_database_url(url), key_file))


if __name__ == "__main__":
    main()
