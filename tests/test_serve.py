"""`kycrail serve --sandbox` as a user runs it: a real process, real HTTP, a restart."""

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.processes import KYCRAIL, START_TIMEOUT_SECONDS, free_port, running, stop

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out
README = Path(__file__).resolve().parents[1] / "README.md"


@contextmanager
def _serving(database_url: str, port: int) -> Iterator[list[str]]:
    with running(
        ["serve", "--sandbox", "--port", str(port)],
        {"KYCRAIL_DATABASE_URL": database_url},
        f"http://127.0.0.1:{port}/healthz",
    ) as printed:
        yield printed


def test_serve_sandbox_prints_a_working_key_that_survives_a_restart(database_url: str) -> None:
    port = free_port()
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
    with _serving(f"sqlite:///{target}", free_port()):
        assert target.exists()


def test_a_second_server_on_a_port_in_use_stops_and_the_first_keeps_answering(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    other = tmp_path / "other.db"
    env = {name: value for name, value in os.environ.items() if not name.startswith("KYCRAIL_")}
    with _serving(database_url, port) as printed:
        key = next(line.strip() for line in printed if line.startswith("kr_"))
        second = subprocess.Popen(
            [str(KYCRAIL), "serve", "--port", str(port)],
            env={**env, "KYCRAIL_DATABASE_URL": f"sqlite:///{other}"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _, err = second.communicate(timeout=START_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            stop(second)
            pytest.fail("a second server started on a port in use")
        assert second.returncode == 2
        assert err.splitlines() == [
            f"kycrail: 127.0.0.1:{port} is already in use (another kycrail, or another program): stop it, "
            "or choose another port with --port or KYCRAIL_PORT"
        ]
        assert not other.exists()
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
            answered = [client.get("/v2/customer").status_code for _ in range(20)]
        assert answered == [200] * 20


def _readme_block_after(heading: str) -> str:
    """The first ```sh block of README.md after ``heading``."""
    text = README.read_text()
    after = text[text.index(f"\n{heading}\n") :]
    start = after.index("```sh\n") + len("```sh\n")
    return after[start : after.index("```", start)]


def test_the_readme_swipelux_sandbox_example_can_be_run_again(database_url: str) -> None:
    """README, "Try it with the built-in SumSub emulator": pasted twice into one shell, both runs
    import the share token (the second once answered 409 customer_duplicate_contact)."""
    port = free_port()
    script = _readme_block_after("### Try it with the built-in SumSub emulator")
    script = "\n".join(line for line in script.splitlines() if not line.startswith("KEY="))
    script = script.replace("localhost:8000", f"127.0.0.1:{port}")
    with _serving(database_url, port) as printed:
        key = next(line.strip() for line in printed if line.startswith("kr_"))
        for run in (1, 2):
            ran = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", script],
                env={**os.environ, "KEY": key},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert ran.returncode == 0, ran.stderr
            put, _ = json.JSONDecoder().raw_decode(ran.stdout)  # curl -s ends no answer with a newline
            assert put.get("status") == "approved", f"run {run}: {put}"
