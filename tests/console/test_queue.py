"""The queue: pending customers oldest submission first, filters, 50 a page with a total; take,
release and next (kycrail/console/queue.py, kycrail/reviews/)."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest

from kycrail.operators.model import OperatorRole
from kycrail.storage import Storage
from tests.api import documents
from tests.api.calls import upload
from tests.api.test_kyc_decisions import EMILY
from tests.conftest import KeyFactory
from tests.console.desk import Console, enrolled
from tests.factories import jane

Browsers = Callable[[], Console]


@pytest.fixture
async def headers(make_key: KeyFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {await make_key('acme')}"}


async def pending(client: httpx.AsyncClient, headers: dict[str, str], n: int) -> str:
    """A customer with everything supplied: its review is pending (submitted now)."""
    body = jane(email=f"person{n}@example.com", phone=f"+1415555{n:04d}", personalInformation=EMILY)
    created = await client.post("/v2/customer", json=body, headers=headers)
    assert created.status_code == 201, created.text
    customer_id: str = created.json()["id"]
    assert (await upload(client, headers, customer_id, "passport")).status_code == 201
    assert (await upload(client, headers, customer_id, "liveness_report", documents.pdf())).status_code == 201
    return customer_id


def listed(html: str) -> list[str]:
    return re.findall(r'<tr data-customer="([^"]+)"', html)


async def test_the_queue_lists_pending_customers_oldest_submission_first_with_a_total(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    first, second, third = [await pending(client, headers, n) for n in range(3)]
    created = await client.post(
        "/v2/customer", json=jane(email="new@example.com", phone="+14155559999"), headers=headers
    )
    assert created.status_code == 201
    browser = browsers()
    await browser.sign_in(await enrolled(storage))
    page = await browser.get("/console/queue")
    assert listed(page.text) == [first, second, third]
    assert 'data-testid="total">3<' in page.text
    everyone = await browser.get("/console/queue?status=all")
    assert created.json()["id"] in listed(everyone.text)
    assert listed((await browser.get("/console/queue?type=business")).text) == []


async def test_take_shows_whose_it_is_release_gives_it_back_and_mine_filters(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    first, second = [await pending(client, headers, n) for n in range(2)]
    rita, sam = browsers(), browsers()
    await rita.sign_in(await enrolled(storage, "rita@acme.example"))
    await sam.sign_in(await enrolled(storage, "sam@acme.example"))
    assert (
        await rita.post(f"/console/customers/{second}/take", {}, token_from="/console/queue")
    ).status_code == 303
    mine = (await rita.get("/console/queue?whose=mine")).text
    assert listed(mine) == [second]
    assert 'data-testid="total">1<' in mine
    unassigned = (await rita.get("/console/queue?whose=unassigned")).text
    assert listed(unassigned) == [first]
    assert 'data-testid="total">1<' in unassigned
    assert 'data-testid="total">2<' in (await rita.get("/console/queue")).text
    seen_by_sam = (await sam.get("/console/queue")).text
    assert "rita@acme.example" in seen_by_sam  # advisory: shown to others
    assert listed((await sam.get("/console/queue?whose=unassigned")).text) == [first]
    # Sam cannot release Rita's; a reviewer releases only their own.
    assert (
        await sam.post(f"/console/customers/{second}/release", {}, token_from="/console/queue")
    ).status_code == 403
    assert (
        await rita.post(f"/console/customers/{second}/release", {}, token_from="/console/queue")
    ).status_code == 303
    assert listed((await rita.get("/console/queue?whose=mine")).text) == []


async def test_next_takes_the_oldest_unassigned_and_two_operators_get_two_customers(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    first, second = [await pending(client, headers, n) for n in range(2)]
    rita, sam = browsers(), browsers()
    await rita.sign_in(await enrolled(storage, "rita@acme.example"))
    await sam.sign_in(await enrolled(storage, "sam@acme.example", OperatorRole.admin))
    to_rita = await rita.post("/console/queue/next", {}, token_from="/console/queue")
    to_sam = await sam.post("/console/queue/next", {}, token_from="/console/queue")
    assert to_rita.headers["location"] == f"/console/customers/{first}"
    assert to_sam.headers["location"] == f"/console/customers/{second}"
    none_left = await rita.post("/console/queue/next", {}, token_from="/console/queue")
    assert none_left.headers["location"] == "/console/queue?notice=empty"


async def test_a_back_link_to_another_site_is_not_followed(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending(client, headers, 0)
    browser = browsers()
    await browser.sign_in(await enrolled(storage))
    for back in ("https://evil.example/", "//evil.example/console/", "/console/\\\\evil.example"):
        taken = await browser.post(
            f"/console/customers/{customer_id}/take", {"back": back}, token_from="/console/queue"
        )
        assert taken.headers["location"] == "/console/queue"
