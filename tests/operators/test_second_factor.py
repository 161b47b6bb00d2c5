"""TOTP (RFC 6238) as kycrail checks it (kycrail/operators/second_factor.py)."""

from __future__ import annotations

import base64

import pyotp

from kycrail.operators import second_factor

NOW = 1_800_000_000.0
STEP = int(NOW // 30)


def test_rfc_6238_test_vector() -> None:
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (eight digits; kycrail uses the last six).
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert pyotp.TOTP(secret, digits=8).at(59) == "94287082"
    assert second_factor.matching_step(secret, "287082", None, now=59) == 1


def test_a_code_is_good_one_step_either_side_and_once() -> None:
    secret = second_factor.new_secret()
    totp = pyotp.TOTP(secret)
    for offset in (-1, 0, 1):
        assert (
            second_factor.matching_step(secret, totp.at((STEP + offset) * 30), None, now=NOW) == STEP + offset
        )
    assert second_factor.matching_step(secret, totp.at((STEP + 2) * 30), None, now=NOW) is None
    assert second_factor.matching_step(secret, totp.at(STEP * 30), STEP, now=NOW) is None  # spent
    assert second_factor.matching_step(secret, totp.at((STEP + 1) * 30), STEP, now=NOW) == STEP + 1


def test_malformed_codes_match_nothing() -> None:
    secret = second_factor.new_secret()
    for code in ("", "12345", "1234567", "abcdef", "\uff11\uff12\uff13\uff14\uff15\uff16"):
        assert second_factor.matching_step(secret, code, None, now=NOW) is None


def test_the_provisioning_uri_names_kycrail_and_the_operator() -> None:
    secret = second_factor.new_secret()
    uri = second_factor.provisioning_uri(secret, "rita@acme.example")
    assert uri.startswith("otpauth://totp/kycrail:rita%40acme.example?")
    assert f"secret={secret}" in uri
    assert "issuer=kycrail" in uri
