"""The Python client (clients/python), end to end against a running kycrail: the seed's PATCH in v2;
create ``{}`` then PUT with a sandbox share token in v1; a webhook verified as received; retries that
keep their idempotency key, and never retry what a retry cannot mend."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from kycrail_api.api.sphere_pay_v_2 import (
    create_customer_v2_customer_post as create_v2,
)
from kycrail_api.api.sphere_pay_v_2 import (
    get_customer_v2_customer_customer_id_get as get_v2,
)
from kycrail_api.api.sphere_pay_v_2 import (
    list_customers_v2_customer_get as list_v2,
)
from kycrail_api.api.sphere_pay_v_2 import (
    update_customer_v2_customer_customer_id_patch as patch_v2,
)
from kycrail_api.api.sphere_pay_v_2_webhooks import create_webhook_v2_webhook_post as create_webhook
from kycrail_api.api.swipelux_v_1 import create_customer_v1_customers_post as create_v1
from kycrail_api.api.swipelux_v_1 import update_customer_v1_customers_customer_id_put as put_v1
from kycrail_api.models import (
    AddressIn,
    CountryCode,
    CreateCustomerInIndividual,
    CustomerCreateInIndividual,
    CustomerUpdateIn,
    SphereCustomerListOut,
    SphereCustomerOut,
    SphereErrorOut,
    SphereWebhookCreatedOut,
    SphereWebhookIn,
    SphereWebhookInEventsItem,
    SwipeluxCustomerOut,
    UpdateCustomerIn,
    UpdateCustomerInMeta,
)
from kycrail_client import InvalidSignature, RetryPolicy, connect, verify_sphere, verify_standard
from tests.api.receiver import receiver
from tests.clients.conftest import Server, serve
from tests.conftest import POSTGRES_URL
from tests.waiting import eventually_sync

# Real servers of their own, each on its own SQLite file: once per CI run (the SQLite pass).
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(POSTGRES_URL), reason="run in the SQLite pass")]
QUICK = RetryPolicy(attempts=4, backoff=0.05, max_wait=2.0)


def jane() -> CreateCustomerInIndividual:
    return CreateCustomerInIndividual.from_dict(
        {
            "email": "jane.smith@example.com",
            "phone": "+14155550123",
            "address": {"line1": "233 South Wacker Drive", "city": "Chicago", "state": "IL",
                        "postalCode": "60606", "country": "USA"},
            "personalInformation": {"firstName": "Jane", "lastName": "Smith", "dateOfBirth": "1990-05-17"},
        }
    )  # fmt: skip


def test_the_seeds_patch_in_v2(server: Server) -> None:
    with connect(server.url, server.key, policy=QUICK) as api:
        created = create_v2.sync(client=api, body=jane())
        assert isinstance(created, SphereCustomerOut), created
        body = UpdateCustomerIn(
            address=AddressIn(
                line1="456 Market Street", city="San Francisco", state="CA", postal_code="94105",
                country=CountryCode.USA,
            ),
            meta=UpdateCustomerInMeta.from_dict({"internalUserId": "usr_9912"}),
        )  # fmt: skip
        updated = patch_v2.sync(created.id, client=api, body=body)
        assert isinstance(updated, SphereCustomerOut), updated
        assert updated.address is not None
        assert updated.address.city == "San Francisco"
        assert updated.meta.to_dict() == {"internalUserId": "usr_9912"}
        assert updated.verification_profiles[0].status.value == "incomplete"
        missing = get_v2.sync("customer_" + "0" * 32, client=api)
        assert isinstance(missing, SphereErrorOut)
        assert missing.code == "resource/not-found"


def test_create_then_put_a_share_token_in_v1(server: Server) -> None:
    minted = httpx.post(
        f"{server.url}/sandbox/share-tokens",
        json={"applicant": "approved"},
        headers={"Authorization": f"Bearer {server.key}"},
    )  # the sandbox's own route: in no production document
    assert minted.status_code == 201
    with connect(server.url, server.key, policy=QUICK) as api:
        created = create_v1.sync(client=api, body=CustomerCreateInIndividual())
        assert isinstance(created, SwipeluxCustomerOut), created
        assert created.status.value == "not_started"
        imported = put_v1.sync(
            created.id, client=api, body=CustomerUpdateIn(share_token=minted.json()["shareToken"])
        )
        assert isinstance(imported, SwipeluxCustomerOut), imported
        assert (imported.status.value, imported.last_name) == ("approved", "Carter")


def test_a_webhook_is_verified_as_received(server: Server) -> None:
    with receiver() as hooks, connect(server.url, server.key, policy=QUICK) as api:
        made = create_webhook.sync(
            client=api,
            body=SphereWebhookIn(
                name="updates", url=hooks.url, events=[SphereWebhookInEventsItem.CUSTOMER_CREATE]
            ),
        )
        assert isinstance(made, SphereWebhookCreatedOut), made
        created = create_v2.sync(client=api, body=jane())
        assert isinstance(created, SphereCustomerOut)
        eventually_sync(lambda: hooks.delivered, 20, describe=lambda: "no webhook delivered")
    got = hooks.delivered[0]
    headers = {name.lower(): value for name, value in got.headers.items()}
    verify_sphere(got.body, headers["signature"], made.secret)
    verify_standard(got.body, headers, _whsec(made.secret))
    assert json.loads(got.body)["data"]["id"] == created.id
    with pytest.raises(InvalidSignature):
        verify_sphere(got.body + b" ", headers["signature"], made.secret)
    with pytest.raises(InvalidSignature):
        verify_standard(got.body.replace(b"customer", b"Customer", 1), headers, _whsec(made.secret))


def _whsec(secret: str) -> str:
    """The Standard Webhooks form of an endpoint's secret (kycrail shows the raw one)."""
    import base64

    return secret if secret.startswith("whsec_") else "whsec_" + base64.b64encode(secret.encode()).decode()


def test_a_rate_limited_write_is_retried_with_its_key_and_written_once(tmp_path: Path) -> None:
    attempts: list[tuple[str, int]] = []  # (idempotency key, status) of each request on the wire

    class Recording(httpx.BaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.HTTPTransport()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = self.inner.handle_request(request)
            if request.method == "POST":
                attempts.append((request.headers["Idempotency-Key"], response.status_code))
            return response

        def close(self) -> None:
            self.inner.close()

    for limited in serve(tmp_path, KYCRAIL_RATE_LIMIT_PER_SECOND="1", KYCRAIL_RATE_LIMIT_BURST="1"):
        policy = RetryPolicy(attempts=6, max_wait=3.0)
        with connect(limited.url, limited.key, policy=policy, transport=Recording()) as api:
            for email, phone in (("a@example.com", "+14155550198"), ("b@example.com", "+14155550199")):
                body = CreateCustomerInIndividual.from_dict(
                    {**jane().to_dict(), "email": email, "phone": phone}
                )
                assert create_v2.sync_detailed(client=api, body=body).status_code == 201
            listed = list_v2.sync(client=api)
    assert 429 in {status for _, status in attempts}  # the limit was met...
    assert len({key for key, _ in attempts}) == 2  # ...and each write kept its one key through it
    assert [status for _, status in attempts].count(201) == 2
    assert isinstance(listed, SphereCustomerListOut)
    assert listed.pagination.total == 2  # written once each


def test_retries_keep_the_key_honour_retry_after_and_skip_other_refusals() -> None:
    from kycrail_client.retries import RetryingTransport

    answers = iter([503, 429, 201, 404])
    seen: list[tuple[str, str | None]] = []
    waits: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("Idempotency-Key")))
        status = next(answers)
        return httpx.Response(status, headers={"Retry-After": "2"} if status == 429 else {})

    transport = RetryingTransport(httpx.MockTransport(answer), QUICK, sleep=waits.append)
    with httpx.Client(transport=transport, base_url="http://kycrail.test") as http:
        assert http.post("/v1/customers", json={}).status_code == 201
        assert http.get("/v1/customers/customer_x").status_code == 404  # a 404 is not retried
    keys = {key for path, key in seen if path == "/v1/customers"}
    assert len(keys) == 1  # one key, made once, sent with every attempt
    assert None not in keys
    assert waits == [0.05, 2.0]  # backoff, then what Retry-After named
    assert seen[-1] == ("/v1/customers/customer_x", None)  # reads carry no key
