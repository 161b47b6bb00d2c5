"""Start, wait for and stop the processes under test; read their peak RSS from /proc."""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
KYCRAIL = BIN / "kycrail"
BENCH = Path(__file__).resolve().parent
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 15


class ServerFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def clean_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """Our environment without any KYCRAIL_* a developer may have exported, plus ``extra``."""
    base = {name: value for name, value in os.environ.items() if not name.startswith("KYCRAIL_")}
    return {**base, **extra}


def kycrail_cli(args: Sequence[str], env: Mapping[str, str]) -> str:
    """Run a one-shot ``kycrail`` command; its stdout, stripped."""
    completed = subprocess.run(  # noqa: S603 (our own executable and arguments)
        [str(KYCRAIL), *args], env=dict(env), capture_output=True, text=True, timeout=120, check=False
    )
    if completed.returncode != 0:
        raise ServerFailed(f"kycrail {' '.join(args)} exited {completed.returncode}: {completed.stderr}")
    return completed.stdout.strip()


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_ready(self, path: str, *, any_status: bool = False) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if not self.alive():
                raise ServerFailed(f"{self.name} exited early:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise ServerFailed(f"{self.name} did not answer {path} in {START_TIMEOUT_SECONDS} s")
            try:
                response = httpx.get(self.url + path, timeout=1)
                if any_status or response.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)

    def stop(self) -> int:
        """Stop the server (SIGTERM, then SIGKILL); its exit code."""
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        return self.process.returncode

    # --- memory ----------------------------------------------------------------------------------

    def serving_pids(self) -> list[int]:
        """The processes that serve requests: granian's workers (the main process only supervises)."""
        return _children(self.process.pid) or [self.process.pid]

    def reset_peak_rss(self) -> None:
        """Make VmHWM start again from the current RSS (Linux clear_refs 5), to measure one scenario."""
        for pid in self.serving_pids():
            # Where that is refused, VmHWM stays the peak since the process started.
            with contextlib.suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peak_rss_mb(self) -> float | None:
        """VmHWM in MB, summed over the serving processes (None once they are gone)."""
        peaks = [_vm_hwm_kb(pid) for pid in self.serving_pids()]
        known = [peak for peak in peaks if peak is not None]
        return sum(known) / 1024 if known else None


def _processes() -> Iterator[tuple[int, str, list[str]]]:
    """(pid, command name, the /proc/<pid>/stat fields after the name) of every process."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split around its parentheses.
        head, _, rest = stat.rpartition(")")
        yield int(entry.name), head.partition("(")[2], rest.split()


def _children(pid: int) -> list[int]:
    return sorted(child for child, _, fields in _processes() if int(fields[1]) == pid)


def _vm_hwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _start(name: str, command: Sequence[str], env: Mapping[str, str], port: int, log_dir: Path) -> Server:
    log_path = log_dir / f"{name.replace(' ', '_')}-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 (our own executable and arguments)
            list(command), stdout=log, stderr=subprocess.STDOUT, env=dict(env), start_new_session=True
        )
    return Server(name=name, process=process, port=port, log_path=log_path)


def start_kycrail(env: Mapping[str, str], log_dir: Path, *, workers: int = 1) -> Server:
    port = free_port()
    command = [str(KYCRAIL), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    server = _start(f"kycrail-w{workers}", command, env, port, log_dir)
    try:
        server.wait_ready("/healthz")
        if workers > 1:
            _wait_for_workers(server, workers)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_for_workers(server: Server, workers: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while len(server.serving_pids()) < workers or server.serving_pids() == [server.process.pid]:
        if time.monotonic() > deadline:
            raise ServerFailed(f"{server.name}: fewer than {workers} workers started")
        time.sleep(0.2)
    time.sleep(1.0)  # the last worker to spawn is still importing the app


def start_webhook_worker(env: Mapping[str, str], log_dir: Path) -> Server:
    """``kycrail worker``: webhook deliveries in a process of their own (it serves no port)."""
    return _start("kycrail-worker", [str(KYCRAIL), "worker"], env, 0, log_dir)


def start_baseline(fixture: Path, log_dir: Path) -> Server:
    port = free_port()
    command = [sys.executable, str(BENCH / "baseline_app.py"), "--port", str(port), "--fixture", str(fixture)]
    server = _start("baseline", command, clean_environment({}), port, log_dir)
    try:
        server.wait_ready("/healthz")
    except BaseException:
        server.stop()
        raise
    return server


def start_sumsub_emulator(env: Mapping[str, str], port: int, log_dir: Path) -> Server:
    command = [str(KYCRAIL), "sandbox", "sumsub", "--host", "127.0.0.1", "--port", str(port)]
    server = _start("sumsub-emulator", command, env, port, log_dir)
    try:
        server.wait_ready("/resources/status/api", any_status=True)  # unsigned: a 401 means it is up
    except BaseException:
        server.stop()
        raise
    return server


# --- the machine -----------------------------------------------------------------------------------


def _cpu_times() -> tuple[int, int, int]:
    """(busy, stolen, total) jiffies over all CPUs since boot; stolen: taken by the hypervisor."""
    # user nice system idle iowait irq softirq steal guest guest_nice (guest time is within user)
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle, steal = values[3] + values[4], values[7]
    return sum(values) - idle - steal, steal, sum(values)


def cpu_busy(seconds: float = 0.5) -> float:
    """Share of all CPUs busy over ``seconds`` (0..1)."""
    busy_before, _, total_before = _cpu_times()
    time.sleep(seconds)
    busy_after, _, total_after = _cpu_times()
    return (busy_after - busy_before) / max(1, total_after - total_before)


@dataclass(frozen=True)
class CpuSnapshot:
    busy: int  # jiffies, all CPUs
    stolen: int
    total: int
    ours: float  # jiffies of the server, its children, PostgreSQL and our finished children (wrk)


def cpu_snapshot(server: Server) -> CpuSnapshot:
    ticks = os.sysconf("SC_CLK_TCK")
    pids = {server.process.pid, *_children(server.process.pid)}
    ours = 0
    for pid, name, fields in _processes():
        if pid in pids:
            ours += int(fields[11]) + int(fields[12])  # utime, stime
        elif name == "postgres":
            # With its exited children's (cutime, cstime): backends and parallel workers come and go.
            ours += sum(int(value) for value in fields[11:15])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy, stolen, total = _cpu_times()
    return CpuSnapshot(busy, stolen, total, ours + (children.ru_utime + children.ru_stime) * ticks)


def foreign_cpu_share(before: CpuSnapshot, after: CpuSnapshot) -> tuple[float, float]:
    """Shares of the machine's CPU between the snapshots used by processes other than the benchmark's
    (an estimate: PostgreSQL counts as ours whoever it serves), and stolen by the hypervisor."""
    total = max(1, after.total - before.total)
    foreign = (after.busy - before.busy) - (after.ours - before.ours)
    return max(0.0, foreign / total), (after.stolen - before.stolen) / total


def wait_for_quiet(threshold: float = 0.15, patience_seconds: float = 30) -> float:
    """Wait (bounded) until other work on the machine settles; the last busy share seen.

    Called while our servers are idle, so what it sees is someone else's load.
    """
    deadline = time.monotonic() + patience_seconds
    busy = cpu_busy()
    while busy > threshold and time.monotonic() < deadline:
        busy = cpu_busy(1.0)
    return busy
