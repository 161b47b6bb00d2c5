"""SumSub request signing (docs/sumsub.md, "Signing every request"). Pure, no I/O."""

from __future__ import annotations

import hashlib
import hmac

APP_TOKEN_HEADER = "X-App-Token"  # noqa: S105 (a header name, not a secret)
TIMESTAMP_HEADER = "X-App-Access-Ts"
SIGNATURE_HEADER = "X-App-Access-Sig"


def string_to_sign(timestamp: int, method: str, path_with_query: str, body: bytes) -> bytes:
    """Timestamp, METHOD, path with its encoded query as sent, raw body: no separators."""
    return f"{timestamp}{method.upper()}{path_with_query}".encode() + body


def sign(secret_key: str, timestamp: int, method: str, path_with_query: str, body: bytes) -> str:
    """Lower-case hex HMAC-SHA256 of the string to sign, keyed with the app's secret key."""
    message = string_to_sign(timestamp, method, path_with_query, body)
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    app_token: str, secret_key: str, method: str, path_with_query: str, body: bytes, now: int
) -> dict[str, str]:
    return {
        APP_TOKEN_HEADER: app_token,
        TIMESTAMP_HEADER: str(now),
        SIGNATURE_HEADER: sign(secret_key, now, method, path_with_query, body),
    }
