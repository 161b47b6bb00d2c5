"""Run wrk (a separate load process) and read the one JSON line its Lua ``done()`` prints."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
CONNECTIONS = 64
THREADS = 2
# Long enough that a slow answer is measured rather than counted as a timeout; still bounded.
TIMEOUT_SECONDS = 10
_MARKER = "BENCH_JSON "


class WrkFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int  # wrk counts answers with a status >= 400
    socket_errors: int  # connect, read, write and timeouts

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise WrkFailed("wrk is not installed (apt-get install wrk)")
    return found


def run(
    url: str,
    *,
    script: str,
    script_args: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    seconds: float,
    connections: int = CONNECTIONS,
) -> WrkResult:
    """Load ``url`` for ``seconds`` with 64 connections (or ``connections``) over at most 2 threads;
    ``script`` names a scenarios/ file."""
    command = [
        wrk_binary(),
        f"--threads={min(THREADS, connections)}",  # wrk wants a connection per thread at least
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        f"--timeout={TIMEOUT_SECONDS}s",
        f"--script={SCENARIOS / script}",
    ]
    for name, value in (headers or {}).items():
        command += ["--header", f"{name}: {value}"]
    command += [url, "--", *script_args]
    completed = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if completed.returncode != 0:
        raise WrkFailed(f"wrk exited {completed.returncode}: {completed.stderr.strip()[-500:]}")
    for line in completed.stdout.splitlines():
        if line.startswith(_MARKER):
            return _parse(json.loads(line[len(_MARKER) :]))
    raise WrkFailed(f"wrk printed no report: {completed.stdout.strip()[-500:]}")


def _parse(report: dict[str, object]) -> WrkResult:
    errors = report["errors"]
    latency = report["latency_us"]
    assert isinstance(errors, dict)
    assert isinstance(latency, dict)
    duration_us = report["duration_us"]
    requests = report["requests"]
    assert isinstance(duration_us, int)
    assert isinstance(requests, int)
    return WrkResult(
        requests=requests,
        seconds=duration_us / 1e6,
        p50_ms=latency["p50"] / 1000,
        p90_ms=latency["p90"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
        non_2xx=errors["status"],
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
    )
