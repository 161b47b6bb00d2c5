"""What a client hands the WebSDK: access tokens, and links to the emulator's own WebSDK page.

A link carries only an unguessable token: who it is for (the external user id, the level, the email
or phone to give a new applicant) stays here, never in the URL.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from kycrail.sumsub.emulator import fields
from kycrail.sumsub.emulator.wire import JsonObject

ACCESS_TOKEN_PREFIX = "_act-sbx-jwt-"  # noqa: S105 (a prefix: SumSub's sandbox tokens start "_act-sbx-")
DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 600
DEFAULT_LINK_TTL_SECONDS = 1800  # "the lifetime of a permalink is 30 minutes"
# Unconfirmed: SumSub's largest TTL; a year keeps long-lived test setups working.
MAX_TTL_SECONDS = 365 * 24 * 3600
LINK_PATH_PREFIX = "/websdk/p/"


def access_token() -> str:
    """Opaque, and used by nothing else in the emulator (the WebSDK itself is not emulated)."""
    return ACCESS_TOKEN_PREFIX + secrets.token_urlsafe(48)


@dataclass
class Link:
    user_id: str  # the applicant's externalUserId
    level_name: str
    expires_at: float
    identifiers: JsonObject  # email and phone for the applicant the page creates, if any


class LinkExpired(Exception):
    pass


class Links:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._links: dict[str, Link] = {}

    def mint(self, user_id: str, level_name: str, ttl_seconds: int, identifiers: JsonObject) -> str:
        self._forget_expired()
        token = "sbx_" + secrets.token_urlsafe(24)
        self._links[token] = Link(user_id, level_name, self._clock() + ttl_seconds, identifiers)
        return token

    def find(self, token: str) -> Link:
        """Raises KeyError for an unknown token, LinkExpired for one past its TTL."""
        link = self._links[token]
        if self._clock() > link.expires_at:
            raise LinkExpired(token)
        return link

    def _forget_expired(self) -> None:
        # Kept a day past expiry so that a late visitor is told "expired" rather than "unknown".
        cutoff = self._clock() - 24 * 3600
        for token in [token for token, link in self._links.items() if link.expires_at < cutoff]:
            del self._links[token]


def identifiers(body: JsonObject) -> JsonObject:
    """``applicantIdentifiers`` {email, phone} of a link request, checked."""
    given = fields.obj(body, "applicantIdentifiers")
    return {name: value for name in ("email", "phone") if (value := fields.text(given, name)) is not None}
