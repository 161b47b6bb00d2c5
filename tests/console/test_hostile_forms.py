"""Whatever a form carries, the console answers with a page, never a 500, and changes nothing it
should not (kycrail/console/)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kycrail.storage import Storage
from tests.api.test_kyc_decisions import pending_emily, status, v2
from tests.conftest import KeyFactory
from tests.console.desk import Console, csrf_of, enrolled
from tests.fuzz.hostile import hostile_strings

Browsers = Callable[[], Console]
FIELDS = st.sampled_from(
    [
        "choice",
        "version",
        "criterion",
        "note",
        "confirm_id",
        "answer",
        "back",
        "email",
        "password",
        "code",
        "token",
    ]
)
VALUES = st.one_of(
    hostile_strings(surrogates=False),
    st.text(max_size=30),
    st.sampled_from(["approve", "reject", "erase", "send_back", "reopen", "-1", "99999999999", "1"]),
)


@pytest.fixture
async def headers(make_key: KeyFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {await make_key('acme')}"}


async def test_an_unknown_criterion_or_no_reason_is_a_page_not_a_500(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, browsers: Browsers
) -> None:
    customer_id = await pending_emily(client, headers)
    browser = browsers()
    await browser.sign_in(await enrolled(storage))
    page = (await browser.get(f"/console/customers/{customer_id}")).text
    version = page.split('name="version" value="')[1].split('"')[0]
    for data in (
        {"choice": "send_back", "version": version, "criterion": "no_such_criterion"},
        {"choice": "send_back", "version": version},
        {"choice": "nonsense", "version": version},
        {"choice": "approve", "version": "not a number"},
    ):
        browser.page = page
        answer = await browser.post(f"/console/customers/{customer_id}/decide", data)
        assert 400 <= answer.status_code < 500, (data, answer.status_code)
    assert status(await v2(client, headers, customer_id)) == "pending"


@pytest.fixture
def signed() -> dict[str, Console]:
    """One signed-in browser for all of a test's examples (the app and its database are shared too)."""
    return {}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    form=st.dictionaries(FIELDS, VALUES, max_size=6),
    path=st.sampled_from(["decide", "proposal", "take", "release"]),
)
async def test_any_form_on_any_route_is_answered_without_a_server_error(
    storage: Storage, browsers: Browsers, signed: dict[str, Console], form: dict[str, str], path: str
) -> None:
    if "browser" not in signed:
        signed["browser"] = browsers()
        assert (await signed["browser"].sign_in(await enrolled(storage))).status_code == 303
    browser = signed["browser"]
    await browser.get("/console/queue")
    answer = await browser.http.post(
        f"/console/customers/customer_{'0' * 32}/{path}", data={"csrf": csrf_of(browser.page), **form}
    )
    assert answer.status_code < 500
    anonymous = browsers()
    await anonymous.get("/console/sign-in")
    for public in ("/console/sign-in", "/console/enrol"):
        answer = await anonymous.http.post(public, data={"csrf": csrf_of(anonymous.page), **form})
        assert answer.status_code < 500
