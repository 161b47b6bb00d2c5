"""Keyed blind indexes: find and keep unique what is stored only encrypted (email, phone).

HMAC-SHA256 under a key of its own (not a KEK, never a data key) over the tenant, the field and the
normalised value. Without the key, an index value cannot be tested against a guess; the tenant is
part of the input, so the same email in two tenants has unrelated indexes.
"""

from __future__ import annotations

import hashlib
import hmac


class BlindIndex:
    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("a blind-index key is at least 32 bytes")
        self._key = key

    def _digest(self, tenant_id: str, field: str, value: str) -> bytes:
        message = b"\x00".join((tenant_id.encode(), field.encode(), value.encode()))
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def email(self, tenant_id: str, email: str) -> bytes:
        return self._digest(tenant_id, "email", email.strip().lower())

    def phone(self, tenant_id: str, phone: str) -> bytes:
        return self._digest(tenant_id, "phone", phone.strip())

    def document(self, tenant_id: str, customer_id: str, content: bytes) -> bytes:
        """A file's content on one customer: the same file uploaded twice is found without keeping
        a plain digest of it (a known document's hash would say who holds it)."""
        return self._digest(tenant_id, f"document.{customer_id}", hashlib.sha256(content).hexdigest())

    def applicant(self, provider: str, applicant_id: str) -> bytes:
        """A provider's applicant, across tenants: a provider's webhook names no tenant."""
        return self._digest("", f"{provider}.applicant", applicant_id)

    def operator_email(self, email: str) -> bytes:
        """An operator's email, across tenants: the console's sign-in names no tenant."""
        return self._digest("", "operator.email", email.strip().casefold())

    def address(self, address: str) -> bytes:
        """A client's network address (the sign-in failures counted by address)."""
        return self._digest("", "address", address)

    @property
    def fingerprint_key(self) -> bytes:
        """The key of idempotency fingerprints (requests carry personal data): derived, not this one."""
        return hmac.new(self._key, b"kycrail idempotency fingerprint", hashlib.sha256).digest()

    def __repr__(self) -> str:  # never the key
        return "BlindIndex(...)"
