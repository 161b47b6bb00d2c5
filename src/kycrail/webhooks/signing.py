"""The headers that let a receiver trust a delivery.

Every delivery carries the Standard Webhooks headers (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``: ``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body`` under the key the
``whsec_`` secret stands for), signed by the ``standardwebhooks`` library itself, so that the same
library verifies them unchanged. A SpherePay endpoint also gets SpherePay's own ``signature``: the hex
HMAC-SHA256 of the raw body, keyed with the secret string exactly as it was shown at creation.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from standardwebhooks.webhooks import Webhook


def sphere_signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, message_id: str, sent_at: datetime, body: bytes, *, sphere: bool
) -> dict[str, str]:
    """The headers of one delivery attempt of ``body`` (the exact bytes sent)."""
    headers = {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, sent_at, body.decode()),
    }
    if sphere:
        headers["signature"] = sphere_signature(secret, body)
    return headers
