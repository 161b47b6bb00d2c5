"""The headers that let a receiver trust a delivery.

Every delivery carries the Standard Webhooks headers (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``: ``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body`` under the key the
``whsec_`` secret stands for), signed by the ``standardwebhooks`` library itself, so that the same
library verifies them unchanged. A dialect may add its own (``Dialect.signature_headers``: SpherePay's
``signature``, the hex HMAC-SHA256 of the raw body keyed with the secret as it was shown at creation).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from standardwebhooks.webhooks import Webhook


def signed_headers(
    secret: str, message_id: str, sent_at: datetime, body: bytes, dialects_own: Mapping[str, str] = {}
) -> dict[str, str]:
    """The headers of one delivery attempt of ``body`` (the exact bytes sent), with the dialect's own."""
    headers = {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, sent_at, body.decode()),
    }
    return {**headers, **dialects_own}
