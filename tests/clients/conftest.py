"""The typed clients (clients/), driven against a kycrail started as `kycrail serve --sandbox` would be
(a real server on loopback, its own SQLite file), as their users run them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import free_port, running

CLIENTS = Path(__file__).resolve().parents[2] / "clients"
sys.path.insert(0, str(CLIENTS / "python"))  # kycrail_api (generated) and kycrail_client


@dataclass(frozen=True)
class Server:
    url: str
    key: str


def serve(tmp_path: Path, **env: str) -> Iterator[Server]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = {"KYCRAIL_DATABASE_URL": f"sqlite:///{tmp_path}/kycrail.db", "KYCRAIL_PORT": str(port), **env}
    with running(["serve", "--sandbox"], settings, f"{url}/readyz") as printed:
        key = next(line.strip() for line in printed if line.strip().startswith("kr_"))
        yield Server(url, key)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from serve(tmp_path)
