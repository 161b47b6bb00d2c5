"""Operators' passwords: the policy a new one must meet, and argon2id hashing (argon2-cffi's
defaults, RFC 9106's second recommended option). Pure, no I/O.

"Not a common password" is zxcvbn's judgement: it knows the 30,000 most common passwords from leaked
sets, and also what they are built from (keyboard walks, repeats, dates, dictionary words, the
operator's own email), which a list alone would miss in a 12-character password."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256  # hashing is deliberately slow: a bound on what one request may ask of it
MIN_SCORE = 3  # zxcvbn's 0-4: 3 is "safely unguessable: moderate protection from offline attacks"
_hasher = PasswordHasher()


class WeakPassword(ValueError):
    """A password the policy refuses; the message says why, never the password."""


def check_policy(password: str, email: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Use at most {MAX_LENGTH} characters.")
    folded = password.casefold()
    local, _, domain = email.casefold().partition("@")
    if folded in (email.casefold(), local):
        raise WeakPassword("Do not use your email address as your password.")
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]  # its lists load in ~30 ms: at enrolment only

    if zxcvbn(password, user_inputs=[email, local, *domain.split(".")])["score"] < MIN_SCORE:
        raise WeakPassword(
            "This password is too easy to guess (a common password, a pattern, or your own name): "
            "choose another."
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """Checked against when an email is unknown, so that an unknown address costs as long as a wrong
    password. Made on first use (a hash takes some 50 ms: not at every process's start)."""
    return _hasher.hash("kycrail: no such operator")
