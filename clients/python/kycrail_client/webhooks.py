"""Verifying kycrail's webhooks before trusting them: over the raw body, as received (never a body
parsed and serialised again).

- Standard Webhooks (both dialects): ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``
  headers, checked by the ``standardwebhooks`` library with the endpoint's ``whsec_`` secret (it also
  refuses a timestamp more than five minutes off).
- SpherePay's ``signature`` header (v2): the hex HMAC-SHA256 of the raw body, keyed with the secret as
  kycrail showed it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from standardwebhooks import Webhook, WebhookVerificationError


class InvalidSignature(Exception):
    """The webhook is not kycrail's (or was changed on the way): do not act on it."""


def verify_standard(body: bytes, headers: Mapping[str, str], secret: str) -> None:
    """Raise ``InvalidSignature`` unless the Standard Webhooks headers sign ``body`` under ``secret``."""
    wanted = {
        name: headers.get(name, "") for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
    }
    try:
        Webhook(secret).verify(body, wanted)
    except WebhookVerificationError as failed:
        raise InvalidSignature(str(failed)) from None


def verify_sphere(body: bytes, signature: str, secret: str) -> None:
    """Raise ``InvalidSignature`` unless ``signature`` (SpherePay's header) is the HMAC of ``body``."""
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise InvalidSignature("the signature header does not match the body")
