"""Run kycrail's own commands as real processes, for tests over real HTTP."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.config import to_async_database_url
from kycrail.db import create_engine
from tests.settings import postgres_key_file
from tests.waiting import eventually_sync

KYCRAIL = Path(sys.executable).parent / "kycrail"
START_TIMEOUT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def status_at(url: str) -> int | None:
    """Blocking: the status a GET of ``url`` is answered with; None while nothing answers there."""
    try:
        return httpx.get(url, timeout=1).status_code
    except httpx.TransportError:
        return None


@asynccontextmanager
async def database(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The test's own engine on the database its processes use: to set it up, or to watch them."""
    engine = create_engine(to_async_database_url(database_url))
    try:
        yield engine
    finally:
        await engine.dispose()


def key_env(database_url: str) -> dict[str, str]:
    """PostgreSQL needs the key file the test run shares (SQLite makes its own beside the file)."""
    if database_url.startswith("postgres"):
        return {"KYCRAIL_KEY_FILE": str(postgres_key_file())}
    return {}


@contextmanager
def running(args: list[str], env: Mapping[str, str], ready_url: str) -> Iterator[list[str]]:
    """Start ``kycrail *args``, wait until ``ready_url`` answers, yield the lines printed so far."""
    process = subprocess.Popen(
        [str(KYCRAIL), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={
            **os.environ,
            "KYCRAIL_LOG_LEVEL": "warning",
            **key_env(env.get("KYCRAIL_DATABASE_URL", "")),
            **env,
        },
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()

    def answering() -> bool:
        assert process.poll() is None, f"kycrail {args[0]} exited early: {list(lines.queue)}"
        return status_at(ready_url) is not None

    try:
        eventually_sync(answering, START_TIMEOUT_SECONDS, describe=lambda: f"kycrail {args[0]}: {ready_url}")
        printed = []
        while not lines.empty():
            printed.append(lines.get())
        yield printed
    finally:
        process.terminate()
        process.wait(timeout=10)
        stdout.close()


def sigkill(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """Blocking: SIGKILL, no chance to commit, roll back or close anything."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str] | None) -> None:
    """Blocking: SIGTERM and wait, SIGKILL if it lingers (a no-op when already gone)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
