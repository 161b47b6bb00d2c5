"""`kycrail kek init|add|status|rewrap|retire` and `kycrail purge`, run in-process on the test database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from kycrail.cli import main
from kycrail.config import Settings
from kycrail.tenants import service as tenants
from kycrail.vault.keyring import ring_from_file
from kycrail.vault.vault import WrappedKey
from kycrail.webhooks.tables import webhook_endpoints
from tests.factories import jane
from tests.settings import settings_for
from tests.vault.test_rotation import serving


@pytest.fixture
def key_file(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "kycrail.keys"
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", database_url)
    monkeypatch.setenv("KYCRAIL_KEY_FILE", str(path))
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    assert main(list(args)) == code
    captured = capsys.readouterr()
    return captured.out + captured.err


async def _two_customers_one_deleted(settings: Settings) -> tuple[dict[str, str], list[str]]:
    async with serving(settings) as (app, client):
        key = (await tenants.create_key(app.state.resources.engine, "acme")).secret
        headers = {"Authorization": f"Bearer {key}"}
        created = []
        for n in range(2):
            body = jane(email=f"{n}@example.com", phone=f"+141555501{n}0")
            created.append((await client.post("/v2/customer", json=body, headers=headers)).json()["id"])
        assert (await client.delete(f"/v1/customers/{created[0]}", headers=headers)).status_code == 204
        webhook = {"url": "https://93.184.215.14/hooks", "events": ["*"]}
        assert (await client.post("/v1/webhooks", json=webhook, headers=headers)).status_code == 201
    return headers, created


async def _status(settings: Settings, headers: dict[str, str], customer_id: str) -> int:
    async with serving(settings) as (_, client):
        return (await client.get(f"/v1/customers/{customer_id}", headers=headers)).status_code


async def _webhook_secret_opens(settings: Settings) -> bool:
    async with serving(settings) as (app, _):
        storage = app.state.resources.storage
        async with storage.engine.connect() as connection:
            row = (await connection.execute(select(webhook_endpoints))).one()
        wrapped = WrappedKey(row.secret_kek_id, bytes(row.secret_wrapped))
        return (await storage.vault.unwrap_secret(row.tenant_id, row.id, wrapped)).startswith(b"whsec_")


@pytest.mark.slow
def test_rotate_then_retire_the_old_kek_and_purge(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, key_file: Path, database_url: str
) -> None:
    assert "created" in _run(capsys, "kek", "init")
    assert "never overwritten" in _run(capsys, "kek", "init", code=1)
    old = ring_from_file(key_file).newest.id
    settings = settings_for(database_url, key_file=key_file)
    headers, created = asyncio.run(_two_customers_one_deleted(settings))

    assert "added" in _run(capsys, "kek", "add")
    new = ring_from_file(key_file).newest.id
    status = _run(capsys, "kek", "status")
    assert f"{old}  3 keys" in status  # two customers' data keys and a webhook's secret
    assert f"{new}  0 keys  (newest" in status
    assert "run `kycrail kek rewrap` first" in _run(capsys, "kek", "retire", old, code=1)
    rewrapped = _run(capsys, "kek", "rewrap")
    assert "2 rewrapped" in rewrapped
    assert "1 webhook secrets rewrapped" in rewrapped
    assert "0 rewrapped, 0 skipped; 0 webhook" in _run(capsys, "kek", "rewrap")  # nothing left to do
    assert f"removed {old}" in _run(capsys, "kek", "retire", old)
    assert old not in _run(capsys, "kek", "status")

    assert "shredded 0" in _run(capsys, "purge")  # the default retention keeps it for 1825 days
    monkeypatch.setenv("KYCRAIL_RETENTION_DAYS", "0")
    assert "shredded 1" in _run(capsys, "purge")
    assert asyncio.run(_status(settings, headers, created[1])) == 200  # the live one, under the new KEK
    assert asyncio.run(_webhook_secret_opens(settings))
