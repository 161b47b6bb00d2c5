"""Deliveries' headers: verified by the standardwebhooks library unchanged, and SpherePay's own
``signature`` checked as a receiver would, with the secret string as shown at creation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from kycrail.api.sphere.webhooks import SphereDialect
from kycrail.api.swipelux.webhooks import SwipeluxDialect
from kycrail.webhooks.signing import signed_headers

SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
BODY = orjson.dumps(
    {"id": "evt_1", "name": "customer.update", "data": {"id": "customer_1", "firstName": "Zoë"}}
)


def test_standard_webhooks_verifies_a_delivery_and_nothing_altered() -> None:
    headers = signed_headers(SECRET, "evt_1", datetime.now(UTC), BODY)
    assert "signature" not in headers
    assert Webhook(SECRET).verify(BODY, headers) == orjson.loads(BODY)
    for tampered in (BODY.replace(b"customer_1", b"customer_2"), BODY + b" "):
        with pytest.raises(WebhookVerificationError):
            Webhook(SECRET).verify(tampered, headers)
    with pytest.raises(WebhookVerificationError):  # another endpoint's secret
        Webhook("whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):  # replayed under another id
        Webhook(SECRET).verify(BODY, {**headers, "webhook-id": "evt_2"})
    stale = signed_headers(SECRET, "evt_1", datetime.now(UTC) - timedelta(hours=1), BODY)
    with pytest.raises(WebhookVerificationError):  # outside the library's tolerance: a replay
        Webhook(SECRET).verify(BODY, stale)


def test_a_sphere_receiver_checks_the_hex_hmac_of_the_raw_body_with_the_secret_as_shown() -> None:
    own = SphereDialect().signature_headers(SECRET, BODY)
    headers = signed_headers(SECRET, "evt_1", datetime.now(UTC), BODY, own)
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["signature"], expected)
    assert Webhook(SECRET).verify(BODY, headers) == orjson.loads(BODY)  # and Standard Webhooks too


def test_a_swipelux_delivery_carries_standard_webhooks_headers_alone() -> None:
    assert SwipeluxDialect().signature_headers(SECRET, BODY) == {}
