"""API key material: generation, shape check and hashing. Pure, no I/O."""

from __future__ import annotations

import hashlib
import re
import secrets
from enum import StrEnum

KEY_PREFIX = "kr_"
# 32 random bytes = 256 bits, url-safe base64 without padding = 43 characters.
_RANDOM_BYTES = 32
KEY_LENGTH = len(KEY_PREFIX) + 43
DISPLAY_PREFIX_LENGTH = 12
_KEY_SHAPE = re.compile(rf"^{KEY_PREFIX}[A-Za-z0-9_-]{{43}}$")


class Role(StrEnum):
    api = "api"  # the platform's backend: customers, documents, webhooks
    reviewer = "reviewer"  # a person reviewing: reads, and review decisions
    admin = "admin"  # what api does, and erasure on request


class Scope(StrEnum):
    read = "read"  # customers, their documents and events: GET
    write = "write"  # customers: create, update, delete; documents, links, imports
    webhooks = "webhooks"  # webhook endpoints, their deliveries and events: the integration
    review = "review"  # a review decision (/ops/customers/{id}/review)
    erase = "erase"  # an erasure on request (/ops/customers/{id}/erase)


# Least privilege: what each role's keys may do; anything else is 403.
_API_SCOPES = frozenset({Scope.read, Scope.write, Scope.webhooks})
SCOPES: dict[Role, frozenset[Scope]] = {
    Role.api: _API_SCOPES,
    Role.reviewer: frozenset({Scope.read, Scope.review}),
    Role.admin: _API_SCOPES | {Scope.erase},  # what api keys do, and erasure
}


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(_RANDOM_BYTES)


def is_well_formed(key: str) -> bool:
    return _KEY_SHAPE.fullmatch(key) is not None


def display_prefix(key: str) -> str:
    return key[:DISPLAY_PREFIX_LENGTH]


def hash_key(key: str) -> str:
    # A plain SHA-256 suffices: the key is 256 random bits, so there is nothing to brute-force
    # that a slow password hash would protect.
    return hashlib.sha256(key.encode("ascii")).hexdigest()
