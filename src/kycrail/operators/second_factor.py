"""The second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, as every authenticator app reads
an ``otpauth://`` URI), with pyotp. A code is accepted one step either side of now, and each step
only once. Pure, no I/O."""

from __future__ import annotations

import hmac
import time

import pyotp

ISSUER = "kycrail"
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def matching_step(secret: str, code: str, last_step: int | None, now: float | None = None) -> int | None:
    """The time step ``code`` is good for (now, or one step either side), if it is later than
    ``last_step`` (a code is spent once used); None otherwise."""
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    moment = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    current = int(moment // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(
            totp.at(step * STEP_SECONDS), code
        ):
            return step
    return None
