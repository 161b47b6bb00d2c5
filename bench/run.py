"""kycrail's load benchmark: one command starts the servers, seeds, drives wrk and prints one table.

    .venv/bin/python bench/run.py [--smoke] [--databases sqlite,postgres] [--only get,patch,...]
                                  [--src DIR]

``--src DIR`` benchmarks the kycrail package under DIR (for instance an older commit exported with
``git archive <rev> src | tar -x -C /tmp/old``, then ``--src /tmp/old/src``) instead of the installed one.

See bench/README.md for what each scenario measures and its target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import console_queue
import seed
import servers
import wrk
from servers import Server, ServerFailed

from kycrail.vault.keyring import create_key_file

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results" / "latest.json"
PATCH_BODY = BENCH / "scenarios" / "patch_body.json"
SCENARIOS = ("get", "patch", "import", "console", "list", "workers")
DATABASES = ("sqlite", "postgres")
BASELINE = "baseline"
SUMSUB_APP_TOKEN = "sbx:bench"  # noqa: S105 (the emulator's throwaway credentials)
SUMSUB_SECRET_KEY = "bench-secret"  # noqa: S105
LIST_PATHS = {"list-v2": "/v2/customer?page=1&limit=50", "list-v1": "/v1/customers?limit=50"}
CONSOLE_TENANT = "bench-console"
CONSOLE_QUEUE = "console-queue"  # the rows' name, and the baseline's
QUEUE_P95_TARGET_MS = 200  # the issue's: "with 10,000 pending customers ... under 200 ms p95 on this machine"
# People, not machines, load the queue: the target is judged with a desk of eight reviewers loading it
# at the same moment, again and again; the 64-connection row is its capacity.
DESK = 8


@dataclass(frozen=True)
class Mode:
    smoke: bool
    seconds: float  # measured wrk run
    warmup_seconds: float  # unmeasured wrk run before it
    customers: int  # through the API, for get and patch
    list_sizes: tuple[int, ...]  # the list tenant grows to each size in turn
    queue_size: int  # pending customers in the console's tenant
    imports: int = 64


FULL = Mode(
    smoke=False,
    seconds=10,
    warmup_seconds=2,
    customers=1000,
    list_sizes=(10_000, 1_000_000),
    queue_size=10_000,
)
SMOKE = Mode(
    smoke=True, seconds=2, warmup_seconds=1, customers=200, list_sizes=(1_000, 20_000), queue_size=1_000
)


@dataclass
class Row:
    scenario: str
    database: str
    rps: float | None = None
    ratio: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    errors: int | None = None
    rss_mb: float | None = None
    target: str = ""
    result: str = ""
    detail: str = ""
    facts: dict[str, Any] = field(default_factory=dict)  # what the target is judged on

    def add_detail(self, text: str) -> None:
        self.detail = f"{self.detail}; {text}" if self.detail else text


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def human(count: int) -> str:
    return f"{count // 1_000_000}M" if count >= 1_000_000 else f"{count // 1000}k"


class Bench:
    def __init__(self, mode: Mode, only: Sequence[str], workdir: Path) -> None:
        self.mode = mode
        self.only = set(only)
        self.workdir = workdir
        self.rows: list[Row] = []
        self.problems: list[str] = []  # errors: they make the run exit 1
        self.notes: list[str] = []
        self.fixture: dict[str, Any] = {}  # what the baseline serves, captured from kycrail
        self.ids_file: Path | None = None
        # Encryption at rest: one key file for every process of the run, on either database (on
        # PostgreSQL kycrail requires one; on SQLite it would otherwise make its own beside the file).
        self.key_file = workdir / "kycrail.keys"
        create_key_file(self.key_file)

    # --- one wrk measurement ---------------------------------------------------------------------

    def measure(
        self,
        server: Server,
        scenario: str,
        database: str,
        path: str,
        *,
        key: str | None = None,
        headers: Mapping[str, str] | None = None,
        script: str = "fixed.lua",
        script_args: Sequence[str] = (),
    ) -> Row:
        headers = {**({"Authorization": f"Bearer {key}"} if key else {}), **(headers or {})}
        url = server.url + path

        def load(seconds: float) -> wrk.WrkResult:
            return wrk.run(url, script=script, script_args=script_args, headers=headers, seconds=seconds)

        busy = servers.wait_for_quiet()
        log(f"{scenario} on {database}: warm-up {self.mode.warmup_seconds:g} s, then {self.mode.seconds:g} s")
        load(self.mode.warmup_seconds)
        server.reset_peak_rss()
        before = servers.cpu_snapshot(server)
        result = load(self.mode.seconds)
        foreign, stolen = servers.foreign_cpu_share(before, servers.cpu_snapshot(server))
        rss = server.peak_rss_mb()
        self._check_alive(server, scenario, database)
        row = Row(
            scenario=scenario,
            database=database,
            rps=result.rps,
            p50_ms=result.p50_ms,
            p95_ms=result.p95_ms,
            p99_ms=result.p99_ms,
            errors=result.errors,
            rss_mb=rss,
            facts={"requests": result.requests, "non_2xx": result.non_2xx, "socket": result.socket_errors},
        )
        row.facts.update(foreign_cpu=round(foreign, 3), stolen_cpu=round(stolen, 3))
        if busy > 0.15:
            row.add_detail(f"machine busy before the run ({busy:.0%} of the CPUs)")
        if foreign > 0.10:
            row.add_detail(f"other processes used ~{foreign:.0%} of the CPUs during the run")
        if stolen > 0.05:
            row.add_detail(f"the hypervisor stole {stolen:.0%} of the CPUs during the run")
        if result.errors:
            self.problems.append(
                f"{scenario} on {database}: {result.non_2xx} non-2xx, {result.socket_errors} socket errors"
            )
        self.rows.append(row)
        return row

    def _check_alive(self, server: Server, scenario: str, database: str) -> None:
        if not server.alive():
            raise ServerFailed(f"{server.name} died during {scenario} on {database}:\n{server.log_tail()}")

    def random_ids(self, server: Server, scenario: str, database: str, key: str, method: str) -> Row:
        assert self.ids_file is not None
        args = [str(self.ids_file), "/v2/customer/"]
        if method == "PATCH":
            return self.measure(
                server,
                scenario,
                database,
                "/",
                key=key,
                script="patch.lua",
                script_args=[*args, str(PATCH_BODY)],
            )
        return self.measure(server, scenario, database, "/", key=key, script="get.lua", script_args=args)

    # --- kycrail on one database ----------------------------------------------------------------

    def run_database(self, database: str) -> None:
        pg_name = f"kycrail_bench_{os.getpid()}"
        if database == "postgres":
            unreachable = seed.postgres_reachable()
            if unreachable:
                self.notes.append(
                    f"PostgreSQL scenarios skipped: 127.0.0.1:5432 not reachable ({unreachable})"
                )
                return
            url = seed.create_database(pg_name)
        else:
            sqlite_path = self.workdir / "kycrail.db"
            url = f"sqlite:///{sqlite_path}"
        emulator_port = servers.free_port()
        env = servers.clean_environment(
            {
                "KYCRAIL_DATABASE_URL": url,
                # Every process (the CLI, the servers, the bulk seeder) seals and opens with this one.
                "KYCRAIL_KEY_FILE": str(self.key_file),
                "KYCRAIL_RATE_LIMIT_PER_SECOND": "0",
                # The console's requests carry no API key: they share a quarter of this per address
                # (64 by default), which wrk's 64 connections from 127.0.0.1 reach (503s).
                "KYCRAIL_MAX_REQUESTS_IN_FLIGHT_PER_CLIENT": "1024",
                "KYCRAIL_LOG_LEVEL": "warning",
                "KYCRAIL_SUMSUB_BASE_URL": f"http://127.0.0.1:{emulator_port}",
                "KYCRAIL_SUMSUB_APP_TOKEN": SUMSUB_APP_TOKEN,
                "KYCRAIL_SUMSUB_SECRET_KEY": SUMSUB_SECRET_KEY,
            }
        )
        try:
            servers.kycrail_cli(["migrate"], env)
            for tenant in ("bench", "bench-list"):
                servers.kycrail_cli(["tenants", "create", tenant], env)
            if "console" in self.only:
                servers.kycrail_cli(["tenants", "create", CONSOLE_TENANT], env)
            key = servers.kycrail_cli(["keys", "create", "--tenant", "bench"], env)
            list_key = servers.kycrail_cli(["keys", "create", "--tenant", "bench-list"], env)
            server = servers.start_kycrail(env, self.workdir)
            try:
                self._single_process(server, database, url, key, list_key, env, emulator_port)
            finally:
                alive = server.alive()
                code = server.stop()
                if not alive:
                    self.problems.append(f"kycrail on {database} died (exit {code}):\n{server.log_tail()}")
            if database == "postgres" and "workers" in self.only:
                self._workers(database, env, key)
        finally:
            if database == "postgres":
                seed.drop_database(pg_name)

    def _single_process(
        self, server: Server, database: str, url: str, key: str, list_key: str, env: dict[str, str], port: int
    ) -> None:
        if self.only & {"get", "patch", "list", "workers"}:  # the baseline's fixture comes from these
            log(f"seeding {self.mode.customers} customers through the API on {database}")
            ids = seed.create_via_api(server.url, key, self.mode.customers)
            self.ids_file = self.workdir / f"ids-{database}.txt"
            self.ids_file.write_text("\n".join(ids) + "\n")
            if "customer" not in self.fixture:
                self.fixture.update(seed.capture_fixture(server.url, key, ids[0], PATCH_BODY.read_bytes()))
        if "get" in self.only:
            self.random_ids(server, "get", database, key, "GET")
        if "patch" in self.only:
            self.random_ids(server, "patch", database, key, "PATCH")
        if "import" in self.only:
            self._import(server, database, key, env, port)
        # Before the list's 1M rows: the database then holds what `--only console` measures too.
        if "console" in self.only:
            self._console(server, database, url, env)
        if "list" in self.only:
            self._list(server, database, url, list_key)

    def _import(self, server: Server, database: str, key: str, env: dict[str, str], port: int) -> None:
        log(f"import on {database}: {self.mode.imports} concurrent share-token PUTs, SumSub latency 0.2 s")
        emulator = servers.start_sumsub_emulator(env, port, self.workdir)
        try:
            server.reset_peak_rss()
            command = [
                sys.executable,
                str(BENCH / "import_load.py"),
                f"--kycrail={server.url}",
                f"--key={key}",
                f"--sumsub={emulator.url}",
                f"--app-token={SUMSUB_APP_TOKEN}",
                f"--secret-key={SUMSUB_SECRET_KEY}",
                f"--count={self.mode.imports}",
                "--latency=0.2",
            ]
            completed = subprocess.run(  # noqa: S603 (our own script)
                command, capture_output=True, text=True, timeout=300, check=False
            )
        finally:
            emulator.stop()
        self._check_alive(server, "import", database)
        if completed.returncode != 0:
            raise RuntimeError(f"import load process failed: {completed.stderr.strip()[-800:]}")
        answer = json.loads(completed.stdout.strip().splitlines()[-1])
        failed = answer["count"] - answer["approved"]
        row = Row(
            scenario="import",
            database=database,
            p50_ms=answer["p50_ms"],
            p99_ms=answer["max_ms"],
            errors=failed,
            rss_mb=server.peak_rss_mb(),
            detail=f"{answer['approved']}/{answer['count']} approved in {answer['wall_seconds']:.2f} s wall "
            "(p50/p99 columns: median/slowest PUT)"
            + ("" if not failed else f"; {answer['statuses']} {answer['failures']}"),
            facts=answer,
        )
        if failed:
            self.problems.append(f"import on {database}: {answer['statuses']}")
        self.rows.append(row)

    def _tenant_id(self, database: str, url: str, name: str) -> str:
        if database == "postgres":
            return seed.postgres_tenant_id(url, name)
        return seed.sqlite_tenant_id(Path(url.removeprefix("sqlite:///")), name)

    def _bulk_seed(
        self, scenario: str, database: str, url: str, tenant_id: str, start: int, count: int, *, pending: bool
    ) -> float:
        """Rows ``start`` .. ``start + count - 1`` of the tenant, sealed, straight into the database;
        the rows/s it took."""
        started = time.monotonic()
        if database == "postgres":
            seed.postgres_bulk_insert(url, self.key_file, tenant_id, start, count, pending=pending)
        else:
            path = Path(url.removeprefix("sqlite:///"))
            seed.sqlite_bulk_insert(path, self.key_file, tenant_id, start, count, pending=pending)
        seeding = time.monotonic() - started
        rate = count / seeding
        log(f"{scenario} on {database}: {count:,} sealed rows in {seeding:.1f} s ({rate:,.0f} rows/s)")
        return rate

    def _console(self, server: Server, database: str, url: str, env: dict[str, str]) -> None:
        size = self.mode.queue_size
        tenant_id = self._tenant_id(database, url, CONSOLE_TENANT)
        log(f"console queue on {database}: bulk seeding {size:,} pending customers")
        rate = self._bulk_seed("console queue", database, url, tenant_id, 0, size, pending=True)
        session = console_queue.signed_in_session(server.url, env, CONSOLE_TENANT)
        problems = console_queue.queue_problems(server.url, session, tenant_id, size)
        self.problems.extend(f"console queue on {database} at {size:,}: {problem}" for problem in problems)
        if CONSOLE_QUEUE not in self.fixture and not problems:
            self.fixture[CONSOLE_QUEUE] = console_queue.queue_page(server.url, session).text
        headers = console_queue.session_headers(session)
        row = self.measure(
            server, f"{CONSOLE_QUEUE} {human(size)}", database, console_queue.QUEUE_PATH, headers=headers
        )
        # 64 connections is a queue of 64 page loads (p95 ~ 64 / throughput): the capacity. What the
        # issue's figure is judged on: a desk of eight reviewers, each loading the page again at once.
        desk = self._desk(server, row, console_queue.QUEUE_PATH, headers)
        row.facts.update(
            size=size,
            totals_ok=not problems,
            base=CONSOLE_QUEUE,
            seed_rows_per_second=rate,
            p95_target_ms=QUEUE_P95_TARGET_MS,
            desk={"connections": DESK, "rps": desk.rps, "p50_ms": desk.p50_ms, "p95_ms": desk.p95_ms},
        )
        checked = "ok" if not problems else "WRONG"
        row.add_detail(f"{size:,} pending seeded ({rate:,.0f} rows/s); page {checked}")
        row.add_detail(
            f"p95 {desk.p95_ms:.0f} ms (p50 {desk.p50_ms:.0f} ms) for a desk of {DESK} reviewers, against "
            f"the issue's {QUEUE_P95_TARGET_MS} ms; {row.p95_ms:.0f} ms at {wrk.CONNECTIONS} connections "
            f"(capacity {row.rps:,.0f} pages/s): this machine's figures only"
        )

    def _desk(self, server: Server, row: Row, path: str, headers: Mapping[str, str]) -> wrk.WrkResult:
        """``path`` measured again with ``DESK`` connections (no warm-up: ``row``'s run was one)."""
        servers.wait_for_quiet()
        log(f"{row.scenario} on {row.database}: {self.mode.seconds:g} s on {DESK} connections")
        url, seconds = server.url + path, self.mode.seconds
        result = wrk.run(url, script="fixed.lua", headers=headers, seconds=seconds, connections=DESK)
        if result.errors:
            errors = f"{result.non_2xx} non-2xx, {result.socket_errors} socket errors"
            self.problems.append(f"{row.scenario} on {row.database}, {DESK} connections: {errors}")
        return result

    def _list(self, server: Server, database: str, url: str, list_key: str) -> None:
        tenant_id = self._tenant_id(database, url, "bench-list")
        seeded = 0
        for size in self.mode.list_sizes:
            log(f"list on {database}: bulk seeding to {size:,} customers")
            rate = self._bulk_seed("list", database, url, tenant_id, seeded, size - seeded, pending=False)
            seeded = size
            problems = seed.listing_problems(server.url, list_key, size)
            self.problems.extend(f"list on {database} at {size:,}: {problem}" for problem in problems)
            for scenario, list_path in LIST_PATHS.items():
                row = self.measure(server, f"{scenario} {human(size)}", database, list_path, key=list_key)
                row.add_detail(
                    f"{size:,} seeded ({rate:,.0f} rows/s); lists {'ok' if not problems else 'WRONG'}"
                )
                row.facts.update(size=size, totals_ok=not problems, base=scenario, seed_rows_per_second=rate)

    def _workers(self, database: str, env: dict[str, str], key: str) -> None:
        for workers in (1, 2):
            server = servers.start_kycrail(env, self.workdir, workers=workers)
            try:
                row = self.random_ids(server, f"workers N={workers}", database, key, "GET")
                row.facts["workers"] = workers
                if workers > 1:
                    row.add_detail(f"RSS: sum over {workers} workers")
            finally:
                server.stop()

    # --- the baseline ----------------------------------------------------------------------------

    def run_baseline(self) -> None:
        if not self.fixture or not self.only & {"get", "patch", "list", "console"}:
            return
        fixture = self.workdir / "fixture.json"
        fixture.write_text(json.dumps(self.fixture))
        server = servers.start_baseline(fixture, self.workdir)
        try:
            if "get" in self.only:
                self.random_ids(server, "get", BASELINE, "none", "GET")
            if "patch" in self.only:
                self.random_ids(server, "patch", BASELINE, "none", "PATCH")
            if "list" in self.only:
                for scenario, list_path in LIST_PATHS.items():
                    self.measure(server, scenario, BASELINE, list_path)
            if CONSOLE_QUEUE in self.fixture:
                self.measure(server, CONSOLE_QUEUE, BASELINE, console_queue.QUEUE_PATH)
        finally:
            server.stop()

    # --- targets ---------------------------------------------------------------------------------

    def judge(self) -> None:
        baseline = {row.scenario: row for row in self.rows if row.database == BASELINE}
        by_key = {(row.scenario, row.database): row for row in self.rows}
        for row in self.rows:
            if row.database == BASELINE:
                continue
            base = baseline.get(row.facts.get("base", row.scenario))
            if base and base.rps and row.rps is not None:
                row.ratio = row.rps / base.rps
            verdict = _TARGETS.get(row.scenario.split(" ")[0])
            if verdict is None:
                continue
            row.target, passed = verdict(row, by_key)
            if row.target and not self.mode.smoke:
                row.result = "PASS" if passed and not row.errors else "FAIL"


def _target_get(row: Row, rows: dict[tuple[str, str], Row]) -> tuple[str, bool]:
    return ">=60% of baseline, p99<25ms", (row.ratio or 0) >= 0.60 and (row.p99_ms or 1e9) < 25


def _target_patch(row: Row, rows: dict[tuple[str, str], Row]) -> tuple[str, bool]:
    ok = (row.ratio or 0) >= 0.40 and (row.p99_ms or 1e9) < 50 and (row.rss_mb or 1e9) < 250
    return ">=40% of baseline, p99<50ms, RSS<250MB", ok


def _target_import(row: Row, rows: dict[tuple[str, str], Row]) -> tuple[str, bool]:
    facts = row.facts
    return "all approved, wall<2s", facts["approved"] == facts["count"] and facts["wall_seconds"] < 2


def _target_list(row: Row, rows: dict[tuple[str, str], Row]) -> tuple[str, bool]:
    base, database = row.facts["base"], row.database
    sizes = [r.facts["size"] for r in rows.values() if r.facts.get("base") == base and r.database == database]
    smallest = min(sizes)
    fast = (row.p99_ms or 1e9) < 100
    if row.facts["size"] == smallest:
        return "total = seeded, p99<100ms", row.facts["totals_ok"] and fast
    small = rows[(f"{base} {human(smallest)}", database)]
    ok = row.facts["totals_ok"] and fast and (row.p50_ms or 1e9) <= 2 * (small.p50_ms or 0)
    return f"p50 <= 2x p50 at {human(smallest)}, total ok, p99<100ms", ok


def _target_console_queue(row: Row, rows: dict[tuple[str, str], Row]) -> tuple[str, bool]:
    # The figure, judged for a desk of people (DESK connections), not the API's 64.
    ok = row.facts["totals_ok"] and (row.facts["desk"]["p95_ms"] or 1e9) < QUEUE_P95_TARGET_MS
    return f"total = seeded, p95<{QUEUE_P95_TARGET_MS}ms at {DESK}", ok


def _target_workers(row: Row, rows: dict[tuple[str, str], Row]) -> tuple[str, bool]:
    if row.facts["workers"] == 1:
        return "", True
    one = rows.get(("workers N=1", row.database))
    return "rps > 1.6x N=1", one is not None and (row.rps or 0) > 1.6 * (one.rps or 0)


_TARGETS: dict[str, Callable[[Row, dict[tuple[str, str], Row]], tuple[str, bool]]] = {
    "get": _target_get,
    "patch": _target_patch,
    "import": _target_import,
    "list-v2": _target_list,
    "list-v1": _target_list,
    CONSOLE_QUEUE: _target_console_queue,
    "workers": _target_workers,
}


# --- output ----------------------------------------------------------------------------------------


def _fmt(value: float | int | None, pattern: str) -> str:
    return "-" if value is None else format(value, pattern)


def table(rows: Sequence[Row]) -> str:
    header = (
        "scenario",
        "database",
        "req/s",
        "ratio",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "RSS MB",
        "target",
        "",
    )
    lines = [header]
    for row in rows:
        lines.append(
            (
                row.scenario,
                row.database,
                _fmt(row.rps, ",.0f"),
                _fmt(row.ratio, ".0%" if row.ratio is None or row.ratio >= 0.1 else ".1%"),
                _fmt(row.p50_ms, ".1f"),
                _fmt(row.p95_ms, ".1f"),
                _fmt(row.p99_ms, ".1f"),
                _fmt(row.errors, "d"),
                _fmt(row.rss_mb, ".0f"),
                row.target,
                row.result,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    numeric = {2, 3, 4, 5, 6, 7, 8}
    out = []
    for line in lines:
        cells = [
            cell.rjust(w) if i in numeric else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    out.insert(1, "-" * len(out[0]))
    details = [f"  {row.scenario} on {row.database}: {row.detail}" for row in rows if row.detail]
    return "\n".join(out + (["", "Notes:", *details] if details else []))


def _parse_list(value: str, allowed: Sequence[str], what: str) -> list[str]:
    chosen = [item.strip() for item in value.split(",") if item.strip()]
    unknown = sorted(set(chosen) - set(allowed))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"{what}: choose from {', '.join(allowed)} (got {value!r})")
    return chosen


def _use_source(src: Path | None, argv: Sequence[str]) -> None:
    """Re-run this command with ``src`` first on PYTHONPATH, so that every process imports it."""
    if src is None:
        return
    src = src.resolve()
    if not (src / "kycrail" / "__init__.py").is_file():
        raise SystemExit(f"--src {src}: no kycrail package there")
    if os.environ.get("PYTHONPATH", "").split(os.pathsep)[0] != str(src):
        paths = [str(src), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        os.execve(  # noqa: S606 (this very interpreter and script)
            sys.executable,
            [sys.executable, __file__, *argv],
            {**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        )


def source_info() -> dict[str, Any]:
    """Which kycrail this run measured: where it was imported from, the commit and uncommitted files."""
    import kycrail

    package = Path(kycrail.__file__).resolve().parent

    def git(*args: str) -> str:
        completed = subprocess.run(  # noqa: S603 (read-only git queries)
            ["git", *args],  # noqa: S607
            cwd=BENCH.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        return completed.stdout.strip()

    if not package.is_relative_to(BENCH.parent / "src"):
        return {"package": str(package), "head": None, "uncommitted_src_files": None}  # --src elsewhere
    return {
        "package": str(package),
        "head": git("rev-parse", "--short", "HEAD"),
        "uncommitted_src_files": git("status", "--porcelain", "--", "src").splitlines(),
    }


def describe(source: dict[str, Any]) -> str:
    if source["head"] is None:
        return f"{source['package']} (--src)"
    dirty = len(source["uncommitted_src_files"])
    return f"{source['package']} (HEAD {source['head']}, {dirty} uncommitted files in src/)"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description="kycrail load benchmark (see bench/README.md)")
    parser.add_argument("--smoke", action="store_true", help="every scenario ~2 s, small seeds, no PASS/FAIL")
    parser.add_argument(
        "--databases",
        type=lambda value: _parse_list(value, DATABASES, "--databases"),
        default=list(DATABASES),
        help="comma-separated: sqlite,postgres (default both)",
    )
    parser.add_argument(
        "--only",
        type=lambda value: _parse_list(value, SCENARIOS, "--only"),
        default=list(SCENARIOS),
        help=f"comma-separated scenarios: {','.join(SCENARIOS)} (default all)",
    )
    parser.add_argument(
        "--src", type=Path, help="benchmark the kycrail package in DIR instead of the installed one"
    )
    args = parser.parse_args(argv)
    _use_source(args.src, argv)
    source = source_info()
    log(f"kycrail from {describe(source)}")
    mode = SMOKE if args.smoke else FULL
    wrk.wrk_binary()  # fail early without wrk
    started = time.monotonic()
    started_at = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="kycrail-bench-") as tmp:
        bench = Bench(mode, args.only, Path(tmp))
        try:
            for database in args.databases:
                try:
                    bench.run_database(database)
                except (ServerFailed, wrk.WrkFailed, RuntimeError, OSError) as exc:
                    bench.problems.append(f"{database}: {type(exc).__name__}: {exc}")
                    log(f"{database} stopped: {exc}")
            try:
                bench.run_baseline()
            except (ServerFailed, wrk.WrkFailed, OSError) as exc:
                bench.problems.append(f"baseline: {type(exc).__name__}: {exc}")
        except KeyboardInterrupt:
            bench.problems.append("interrupted")
        bench.judge()
    elapsed = time.monotonic() - started
    print(table(bench.rows))
    for note in bench.notes:
        print(f"Note: {note}")
    print(
        "RSS: VmHWM of the serving process during the measured run (reset with clear_refs before it); "
        "--workers N: the sum over its N workers.\n"
        f"wrk: {wrk.CONNECTIONS} connections, {wrk.THREADS} threads, {mode.seconds:g} s after a "
        f"{mode.warmup_seconds:g} s warm-up; errors = non-2xx (wrk: status >= 400) + socket errors."
    )
    for problem in bench.problems:
        print(f"ERROR: {problem}")
    print(f"kycrail measured: {describe(source)}")
    print(f"{'Smoke' if mode.smoke else 'Full'} run took {elapsed:.0f} s.")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "started_at": started_at.isoformat(timespec="seconds"),
                "command": " ".join([".venv/bin/python", "bench/run.py", *argv]),
                "kycrail": source,
                "mode": asdict(mode),
                "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": sys.version},
                "duration_seconds": round(elapsed, 1),
                "rows": [asdict(row) for row in bench.rows],
                "notes": bench.notes,
                "errors": bench.problems,
            },
            indent=2,
        )
        + "\n"
    )
    return 1 if bench.problems else 0


if __name__ == "__main__":
    sys.exit(main())
