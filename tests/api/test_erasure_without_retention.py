"""With no retention (``KYCRAIL_RETENTION_DAYS=0``), a DELETE shreds at once (issue 12, item 5)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kycrail.config import Settings
from kycrail.documents.tables import documents
from kycrail.storage import Storage
from kycrail.vault.tables import data_keys
from tests.api import documents as files
from tests.api.calls import upload
from tests.api.test_erasure import _count, _row
from tests.settings import settings_for


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url, sandbox=True, retention_days=0)


async def test_with_no_retention_a_delete_shreds_in_the_same_transaction(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any, storage: Storage
) -> None:
    customer_id = (await create_customer())["id"]
    assert (await upload(client, headers, customer_id, "passport", files.png())).status_code == 201
    assert (await client.delete(f"/v2/customer/{customer_id}", headers=headers)).status_code == 204
    assert await _count(storage, data_keys, customer_id) == 0
    assert await _count(storage, documents, customer_id) == 0
    assert (await _row(storage, customer_id)).erased_at is not None
    events = (await client.get(f"/v2/customer/{customer_id}/events", headers=headers)).json()["events"]
    assert [event["type"] for event in events] == [
        "customer.created",
        "customer.document_added",
        "customer.deleted",
        "customer.erased",
    ]
