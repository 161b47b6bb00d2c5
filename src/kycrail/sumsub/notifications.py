"""SumSub's webhooks as they arrive: the digest that proves SumSub sent them, and what they name.

``X-Payload-Digest`` is the hex HMAC of the raw body under the webhook secret; ``X-Payload-Digest-Alg``
names the hash (SHA-256 when absent; SHA-512, or the legacy SHA-1). No timestamp is signed: a replay
is a duplicate, which kycrail keeps out by the body's digest. The payload carries no personal data,
only which applicant changed: kycrail reads the applicant after it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

ALGORITHMS = {
    "HMAC_SHA1_HEX": hashlib.sha1,
    "HMAC_SHA256_HEX": hashlib.sha256,
    "HMAC_SHA512_HEX": hashlib.sha512,
}
DEFAULT_ALGORITHM = "HMAC_SHA256_HEX"
MAX_ID_LENGTH = 100
MAX_TYPE_LENGTH = 60


class BadNotification(ValueError):
    """Signed, but not a notification kycrail can read (the message says what is wrong)."""


@dataclass(frozen=True, slots=True)
class Notification:
    kind: str  # applicantReviewed, applicantPending, ...
    applicant_id: str


def signed_by_sumsub(body: bytes, digest: str | None, algorithm: str | None, secret: str) -> bool:
    """True only when ``digest`` is the body's HMAC under ``secret`` (compared in constant time)."""
    hash_function = ALGORITHMS.get(algorithm or DEFAULT_ALGORITHM)
    if not digest or hash_function is None or not secret:
        return False
    expected = hmac.new(secret.encode(), body, hash_function).hexdigest()
    return hmac.compare_digest(expected, digest.strip().lower())


def parse(body: bytes) -> Notification:
    """What a signed body names; BadNotification when it is not a notification kycrail can read and
    keep (the message never repeats a value of the body)."""
    try:
        payload = json.loads(body)
    except ValueError:  # UnicodeDecodeError too
        raise BadNotification("the body is not JSON") from None
    except RecursionError:  # arrays or objects nested deeper than the parser recurses
        raise BadNotification("the body is nested too deep") from None
    if not isinstance(payload, dict):
        raise BadNotification("the body is not a JSON object")
    kind, applicant_id = payload.get("type"), payload.get("applicantId")
    if not isinstance(kind, str) or not kind or len(kind) > MAX_TYPE_LENGTH:
        raise BadNotification("type is missing")
    if not isinstance(applicant_id, str) or not applicant_id or len(applicant_id) > MAX_ID_LENGTH:
        raise BadNotification("applicantId is missing")
    # Both are kept and logged, and the id is sent back to SumSub: printable text only, which leaves out
    # control characters (NUL, CR, LF, ESC, the C1 ones), line and paragraph separators, invisible ones,
    # and lone surrogates (valid JSON escapes that no database or UTF-8 stream takes).
    if not kind.isprintable():
        raise BadNotification("type is not printable text")
    if not applicant_id.isprintable():
        raise BadNotification("applicantId is not printable text")
    return Notification(kind=kind, applicant_id=applicant_id)
