"""SumSub request signing: the reference's test vector, and what the signature covers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kycrail.sumsub.signing import sign, signed_headers

VECTOR_SECRET = "Hej2ch71kG2kTd1iIUDZFNsO5C1lh5Gq"
VECTOR_TS = 1607551635
VECTOR_PATH = (
    "/resources/accessTokens?userId=cfd20712-24a2-4c7d-9ab0-146f3c142335"
    "&levelName=basic-kyc-level&ttlInSecs=600"
)
VECTOR_SIGNATURE = "1e1856be1c1e1ff113e5664acac6b423ffefe04ad42ff36567622ef56f62c4b1"

BASE = {
    "secret_key": "secret",
    "timestamp": 1_700_000_000,
    "method": "POST",
    "path_with_query": "/resources/applicants/abc/one?x=1",
    "body": b'{"a":1}',
}


def test_reference_test_vector() -> None:
    assert sign(VECTOR_SECRET, VECTOR_TS, "POST", VECTOR_PATH, b"") == VECTOR_SIGNATURE


def test_the_method_is_signed_in_upper_case() -> None:
    assert sign(VECTOR_SECRET, VECTOR_TS, "post", VECTOR_PATH, b"") == VECTOR_SIGNATURE


@pytest.mark.parametrize(
    ("field", "other"),
    [
        ("secret_key", "secret2"),
        ("timestamp", 1_700_000_001),
        ("method", "GET"),
        ("path_with_query", "/resources/applicants/abc/one?x=2"),
        ("path_with_query", "/resources/applicants/abd/one?x=1"),
        ("body", b'{"a":2}'),
        ("body", b""),
    ],
)
def test_any_change_changes_the_signature(field: str, other: object) -> None:
    changed = {**BASE, field: other}
    assert sign(**changed) != sign(**BASE)  # type: ignore[arg-type]


def test_signed_headers() -> None:
    headers = signed_headers("sbx:token", VECTOR_SECRET, "POST", VECTOR_PATH, b"", VECTOR_TS)
    assert headers == {
        "X-App-Token": "sbx:token",
        "X-App-Access-Ts": str(VECTOR_TS),
        "X-App-Access-Sig": VECTOR_SIGNATURE,
    }


@given(body=st.binary(max_size=200), extra=st.binary(min_size=1, max_size=20))
def test_signature_is_lower_hex_and_covers_every_body_byte(body: bytes, extra: bytes) -> None:
    signature = sign("secret", 1, "POST", "/p", body)
    assert re.fullmatch(r"[0-9a-f]{64}", signature)
    assert sign("secret", 1, "POST", "/p", body + extra) != signature
