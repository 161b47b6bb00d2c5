"""Share tokens (docs/sumsub.md, "Share tokens"): minted by a donor for one recipient client, opaque,
at most 1 KB, alive for a TTL of at most 20 minutes, single-use."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from kycrail.sumsub.emulator.errors import Failure, invalid_share_token
from kycrail.sumsub.emulator.wire import sumsub_time

DEFAULT_TTL_SECONDS = 1200
MAX_TTL_SECONDS = 1200
PREFIX = "_act-jwt-"


@dataclass
class ShareToken:
    applicant_id: str
    for_client_id: str
    created_at: float
    ttl_seconds: int
    used: bool = False


class TokenStore:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._tokens: dict[str, ShareToken] = {}

    def mint(self, applicant_id: str, for_client_id: str, ttl_seconds: int) -> str:
        if not 1 <= ttl_seconds <= MAX_TTL_SECONDS:
            raise Failure(400, f"ttlInSecs must be between 1 and {MAX_TTL_SECONDS}")
        value = PREFIX + secrets.token_urlsafe(96)  # ~140 characters, well under 1 KB
        self._tokens[value] = ShareToken(applicant_id, for_client_id, self._clock(), ttl_seconds)
        return value

    def redeem(self, value: str, recipient_client_id: str) -> ShareToken:
        """The token, after SumSub's checks for ``recipient_client_id``. Does not use it up: the caller
        sets ``used`` once the import succeeds."""
        token = self._tokens.get(value)
        # Unconfirmed: SumSub's answer for an already used token; answered like a malformed one.
        if token is None or token.used:
            raise invalid_share_token()
        now = self._clock()
        if now > token.created_at + token.ttl_seconds:
            shown = value[: len(PREFIX) + 6] + "..."  # never echo a whole token
            raise Failure(
                401,
                f"Token is invalid: Token {shown} is invalid now: created at {sumsub_time(token.created_at)} "
                f"with ttl {token.ttl_seconds} but accessed at {sumsub_time(now)}",
                service_exception=True,
            )
        # Unconfirmed: a token minted for another recipient; answered like an invalid token.
        if token.for_client_id != recipient_client_id:
            raise invalid_share_token()
        return token
