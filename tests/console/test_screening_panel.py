"""A customer's sanctions screening hits on its console page: each explained, resolved by a person
(named in the trail and on the hit), and an approval refused while one is open
(kycrail/console/customer.py, templates/customer.html)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from kycrail.operators.model import OperatorRole
from kycrail.storage import Storage
from tests.api.test_kyc_decisions import pending_emily, status, v2
from tests.conftest import KeyFactory
from tests.console.desk import Console, enrolled
from tests.console.test_review_desk import events, signed_in, version_on
from tests.screening.listed import EMILY_LISTED, load

Browsers = Callable[[], Console]


@pytest.fixture
async def headers(make_key: KeyFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {await make_key('acme')}"}


async def listed_emily_before_rita(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> tuple[str, Console, str]:
    """Emily, on a list, pending; Rita, a reviewer, signed in: the customer's id, Rita, her page."""
    await load(storage, EMILY_LISTED)
    customer_id = await pending_emily(client, headers)
    rita = await signed_in(browsers, storage, "rita@acme.example")
    return customer_id, rita, (await rita.get(f"/console/customers/{customer_id}")).text


async def test_a_hit_is_shown_explained_and_cleared_by_a_person_then_the_approval_goes_through(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id, rita, page = await listed_emily_before_rita(client, headers, storage, browsers)
    panel = page.split('data-testid="screening"')[1].split("</section>")[0]
    assert "CARTER, Emily Rose" in panel
    assert "ofac_sdn 90001" in panel
    assert "<td>emily</td>" in panel
    assert "birth date" in panel

    refused = await rita.post(
        f"/console/customers/{customer_id}/decide", {"choice": "approve", "version": version_on(page)}
    )
    assert refused.status_code == 409
    assert "sanctions screening hit is open" in refused.text
    assert status(await v2(client, headers, customer_id)) == "pending"

    hit_id = panel.split('data-hit="')[1].split('"')[0]
    rita.page = (await rita.get(f"/console/customers/{customer_id}")).text
    no_reason = await rita.post(
        f"/console/customers/{customer_id}/screening/{hit_id}",
        {"resolution": "false_positive", "reason": " "},
    )
    assert no_reason.status_code == 400
    cleared = await rita.post(
        f"/console/customers/{customer_id}/screening/{hit_id}",
        {"resolution": "false_positive", "reason": "Born elsewhere; passport checked."},
    )
    assert cleared.status_code == 303, cleared.text
    page = (await rita.get(f"/console/customers/{customer_id}")).text
    assert "false positive by rita@acme.example" in page
    cleared_event = [
        e for e in await events(client, headers, customer_id) if e["type"] == "customer.screening_cleared"
    ]
    assert cleared_event[-1]["actor"]["operatorId"].startswith("op_")
    approved = await rita.post(
        f"/console/customers/{customer_id}/decide", {"choice": "approve", "version": version_on(page)}
    )
    assert approved.status_code == 303
    assert status(await v2(client, headers, customer_id)) == "approved"


async def test_another_tenants_operator_cannot_resolve_a_hit(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id, _, page = await listed_emily_before_rita(client, headers, storage, browsers)
    hit_id = page.split('data-hit="')[1].split('"')[0]
    mallory = browsers()
    elsewhere = await enrolled(storage, "mallory@globex.example", OperatorRole.admin, tenant="globex")
    assert (await mallory.sign_in(elsewhere)).status_code == 303
    mallory.page = (await mallory.get("/console/queue")).text
    answer = await mallory.post(
        f"/console/customers/{customer_id}/screening/{hit_id}", {"resolution": "true_match", "reason": "x"}
    )
    assert answer.status_code == 404
    assert status(await v2(client, headers, customer_id)) == "pending"
