"""Operators' password policy and hashing (kycrail/operators/passwords.py)."""

from __future__ import annotations

import pytest

from kycrail.operators import passwords


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short pass1", "at least 12"),
        ("rita@acme.example", "email"),
        ("RITA@ACME.EXAMPLE", "email"),
        ("passwordpassword", "too easy"),
        ("qwertyuiopasdfgh", "too easy"),
        ("123qweasdzxc", "too easy"),  # among the 30,000 most common
        ("aaaaaaaaaaaaaaaa", "too easy"),
        ("x" * 300, "at most"),
    ],
)
def test_the_policy_refuses_short_common_or_email_passwords(password: str, why: str) -> None:
    with pytest.raises(passwords.WeakPassword, match=why):
        passwords.check_policy(password, "rita@acme.example")


def test_a_long_uncommon_password_passes() -> None:
    passwords.check_policy("correct horse battery staple 7", "rita@acme.example")


def test_the_hash_is_argon2id_and_verifies_only_the_password() -> None:
    hashed = passwords.hash_password("correct horse battery staple 7")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify(hashed, "correct horse battery staple 7")
    assert not passwords.verify(hashed, "correct horse battery staple 8")
    assert not passwords.verify("not a hash", "anything")


def test_the_cost_is_rfc_9106s_low_memory_choice() -> None:
    """argon2id, 64 MiB, 3 passes, 4 lanes: argon2-cffi's defaults, RFC 9106's second recommendation."""
    assert passwords.hash_password("correct horse battery staple 7").startswith(
        "$argon2id$v=19$m=65536,t=3,p=4$"
    )
