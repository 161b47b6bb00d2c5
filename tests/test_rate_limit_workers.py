"""The rate limits across `kycrail serve --workers 2`: per authenticated key, per process (README,
"Limits"), and out of reach of anyone holding only a key's visible prefix."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import httpx
import pytest

from kycrail.tenants.keys import display_prefix
from tests.processes import KYCRAIL, free_port, running

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

BURST = 5
WORKERS = 2


def test_with_two_workers_a_key_gets_at_most_each_processs_burst_and_fakes_spend_none(
    tmp_path: Path,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "KYCRAIL_DATABASE_URL": f"sqlite:///{tmp_path / 'kycrail.db'}",
        "KYCRAIL_RATE_LIMIT_PER_SECOND": "0.01",  # no refill within the test
        "KYCRAIL_RATE_LIMIT_BURST": str(BURST),
    }
    for command in (["migrate"], ["tenants", "create", "victim"], ["keys", "create", "--tenant", "victim"]):
        done = subprocess.run(
            [str(KYCRAIL), *command], env={**os.environ, **env}, capture_output=True, text=True, check=True
        )
    victim = done.stdout.strip()
    args = ["serve", "--port", str(port), "--workers", str(WORKERS)]
    with running(args, env, f"{base}/healthz"):
        prefix = display_prefix(victim)
        fresh = httpx.Limits(max_keepalive_connections=0)  # each request may land on either worker
        with httpx.Client(base_url=base, limits=fresh, timeout=10) as client:
            for _ in range(30):
                fake = prefix + secrets.token_urlsafe(48)[: len(victim) - len(prefix)]
                assert client.get("/v2/customer", headers={"X-API-Key": fake}).status_code == 401
            answered = [
                client.get("/v2/customer", headers={"X-API-Key": victim}).status_code for _ in range(40)
            ]
    assert answered[:BURST] == [200] * BURST  # the fakes spent nothing of the victim's burst
    assert set(answered) == {200, 429}
    # Each process keeps its own buckets: the key got between one and two bursts, never more.
    assert BURST <= answered.count(200) <= WORKERS * BURST
