"""`kycrail serve --sandbox` as a user runs it: a real process, real HTTP, a restart."""

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

KYCRAIL = Path(sys.executable).parent / "kycrail"
START_TIMEOUT_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _serving(database_url: str, port: int) -> Iterator[list[str]]:
    """Start the server, wait until /healthz answers, yield the lines it printed on stdout."""
    env = {**os.environ, "KYCRAIL_DATABASE_URL": database_url, "KYCRAIL_LOG_LEVEL": "warning"}
    process = subprocess.Popen(
        [str(KYCRAIL), "serve", "--sandbox", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            assert process.poll() is None, "kycrail serve exited early"
            assert time.monotonic() < deadline, "kycrail serve did not answer /healthz in time"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        printed = []
        while not lines.empty():
            printed.append(lines.get())
        yield printed
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_serve_sandbox_prints_a_working_key_that_survives_a_restart(database_url: str) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with _serving(database_url, port) as printed:
        key = next(line.strip() for line in printed if line.startswith("kr_"))
        assert any(f'curl -H "Authorization: Bearer {key}" {base}/v2/customer' in line for line in printed)
        listed = httpx.get(f"{base}/v2/customer", headers={"Authorization": f"Bearer {key}"})
        assert listed.status_code == 200
        assert listed.json()["customers"] == []
        assert httpx.get(f"{base}/v2/customer").status_code == 401
        assert httpx.get(f"{base}/readyz").json() == {"status": "ok", "database": "ok"}
        assert "openapi" in httpx.get(f"{base}/openapi.json").json()
    with _serving(database_url, port) as printed:
        assert not any(line.startswith("kr_") for line in printed), "the key is printed once only"
        assert any("Sandbox tenant exists" in line for line in printed)
        assert httpx.get(f"{base}/v1/customers", headers={"X-API-Key": key}).status_code == 200


@pytest.mark.sqlite_only
def test_serve_applies_migrations_on_a_new_sqlite_file(tmp_path: Path) -> None:
    target = tmp_path / "fresh.db"
    with _serving(f"sqlite:///{target}", _free_port()):
        assert target.exists()
