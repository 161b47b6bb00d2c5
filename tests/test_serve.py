"""`kycrail serve --sandbox` as a user runs it: a real process, real HTTP, a restart."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.processes import free_port, running

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out


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
