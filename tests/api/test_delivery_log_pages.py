"""The delivery log is paged as each dialect pages its other lists (issue 24, item 7): ``?page=&limit=``
and ``{deliveries, pagination}`` on /v2, ``?limit=&offset=`` and ``{data, total, limit, offset}`` on /v1."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kycrail.app import webhook_worker
from kycrail.config import Settings
from kycrail.storage import Storage
from tests.api.receiver import receiver
from tests.factories import jane

CUSTOMERS = 3


async def _register(client: httpx.AsyncClient, headers: dict[str, str], dialect: str, url: str) -> str:
    """An endpoint for customers' creation events: the path of its delivery log."""
    if dialect == "v2":
        made = await client.post(
            "/v2/webhook", json={"name": "log", "url": url, "events": ["customer.create"]}, headers=headers
        )
        path = "/v2/webhook/{}/deliveries"
    else:
        made = await client.post(
            "/v1/webhooks", json={"url": url, "events": ["customer.created"]}, headers=headers
        )
        path = "/v1/webhooks/{}/deliveries"
    assert made.status_code == 201, made.text
    return path.format(made.json()["id"])


async def _logged_endpoints(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, settings: Settings, url: str
) -> tuple[str, str]:
    """An endpoint in each dialect, and some customers' events fanned out to both (not yet sent)."""
    sphere, swipelux = [await _register(client, headers, dialect, url) for dialect in ("v2", "v1")]
    for number in range(CUSTOMERS):
        body = jane(email=f"jane{number}@example.com", phone=f"+1415555017{number}")
        assert (await client.post("/v2/customer", json=body, headers=headers)).status_code == 201
    worker = webhook_worker(storage, settings)
    try:
        await worker.dispatch_once()
    finally:
        await worker.aclose()
    return sphere, swipelux


async def _get(client: httpx.AsyncClient, headers: dict[str, str], path: str, **query: int) -> Any:
    answer = await client.get(path, params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_both_dialects_page_the_delivery_log_as_they_page_their_lists(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, settings: Settings
) -> None:
    with receiver() as hooks:
        sphere, swipelux = await _logged_endpoints(client, headers, storage, settings, hooks.url)

    everything = await _get(client, headers, swipelux)
    assert (everything["total"], everything["limit"], everything["offset"]) == (CUSTOMERS, 20, 0)
    newest_first = [delivery["id"] for delivery in everything["data"]]
    assert len(newest_first) == CUSTOMERS
    first = await _get(client, headers, swipelux, limit=2)
    rest = await _get(client, headers, swipelux, limit=2, offset=2)
    assert [d["id"] for d in first["data"]] + [d["id"] for d in rest["data"]] == newest_first
    assert (rest["total"], rest["limit"], rest["offset"]) == (CUSTOMERS, 2, 2)

    whole = await _get(client, headers, sphere)
    assert whole["pagination"] == {
        "page": 1,
        "limit": 10,
        "total": CUSTOMERS,
        "totalPages": 1,
        "hasNext": False,
        "hasPrevious": False,
    }
    page_one = await _get(client, headers, sphere, limit=2)
    page_two = await _get(client, headers, sphere, page=2, limit=2)
    assert (page_one["pagination"]["hasNext"], page_one["pagination"]["hasPrevious"]) == (True, False)
    assert page_two["pagination"] == {
        "page": 2,
        "limit": 2,
        "total": CUSTOMERS,
        "totalPages": 2,
        "hasNext": False,
        "hasPrevious": True,
    }
    ids = [d["id"] for d in page_one["deliveries"]] + [d["id"] for d in page_two["deliveries"]]
    assert ids == [d["id"] for d in whole["deliveries"]]


@pytest.mark.parametrize(
    ("dialect", "query"),
    [
        ("v1", {"limit": 101}),
        ("v1", {"offset": -1}),
        ("v1", {"page": 1}),  # v1 pages by offset
        ("v2", {"limit": 0}),
        ("v2", {"offset": 1}),  # v2 pages by page
    ],
)
async def test_a_page_out_of_bounds_or_in_the_other_dialects_terms_is_refused(
    client: httpx.AsyncClient, headers: dict[str, str], dialect: str, query: dict[str, int]
) -> None:
    with receiver() as hooks:
        path = await _register(client, headers, dialect, hooks.url)
    answer = await client.get(path, params=query, headers=headers)
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    assert error["parameter"] == next(iter(query))
