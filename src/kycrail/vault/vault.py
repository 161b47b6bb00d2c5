"""The vault: data keys made, wrapped and opened through the key ring, with opened keys kept in memory
for a while (a KMS-backed KEK would otherwise be a network call per row read)."""

from __future__ import annotations

from dataclasses import dataclass

from kycrail.vault.blind_index import BlindIndex
from kycrail.vault.envelope import DataKey
from kycrail.vault.keyring import KeyRing


@dataclass(frozen=True, slots=True)
class WrappedKey:
    kek_id: str
    wrapped: bytes


def _wrap_context(tenant_id: str, customer_id: str) -> bytes:
    # A wrapped key opens only for the customer (and tenant) it was made for: copied to another
    # customer's row, it does not open.
    return f"kycrail data key\x00{tenant_id}\x00{customer_id}".encode()


def _secret_context(tenant_id: str, owner_id: str) -> bytes:
    return f"kycrail secret\x00{tenant_id}\x00{owner_id}".encode()


class Vault:
    def __init__(self, ring: KeyRing, *, cache_size: int = 50_000) -> None:
        self.ring = ring
        self.blind_index: BlindIndex = ring.blind_index
        self._cache_size = cache_size
        self._opened: dict[str, tuple[bytes, DataKey]] = {}  # customer id -> (wrapped, key)

    def _remember(self, customer_id: str, wrapped: bytes, key: DataKey) -> None:
        if len(self._opened) >= self._cache_size:
            del self._opened[next(iter(self._opened))]  # the oldest entry
        self._opened[customer_id] = (wrapped, key)

    async def new_data_key(self, tenant_id: str, customer_id: str) -> tuple[DataKey, WrappedKey]:
        """A fresh data key for a new customer, and its wrapped form to store (under the newest KEK)."""
        raw = DataKey.generate()
        kek = self.ring.newest
        wrapped = await kek.wrap(raw, _wrap_context(tenant_id, customer_id))
        key = DataKey(raw)
        self._remember(customer_id, wrapped, key)
        return key, WrappedKey(kek.id, wrapped)

    async def open_data_key(self, tenant_id: str, customer_id: str, wrapped: WrappedKey) -> DataKey:
        """The data key a stored wrapped key holds; raises KeyUnavailable when the ring cannot open it."""
        known = self._opened.get(customer_id)
        if known is not None and known[0] == wrapped.wrapped:
            return known[1]
        raw = await self.ring.kek(wrapped.kek_id).unwrap(
            wrapped.wrapped, _wrap_context(tenant_id, customer_id)
        )
        key = DataKey(raw)
        self._remember(customer_id, wrapped.wrapped, key)
        return key

    def opened(self, customer_id: str) -> DataKey | None:
        """The customer's data key if this process opened it lately (the caller read its row)."""
        known = self._opened.get(customer_id)
        return known[1] if known else None

    def forget(self, customer_id: str) -> None:
        self._opened.pop(customer_id, None)

    async def wrap_secret(self, tenant_id: str, owner_id: str, secret: bytes) -> WrappedKey:
        """A secret kycrail must read back (a webhook's signing secret), wrapped by the newest KEK
        for its owner, like a data key."""
        kek = self.ring.newest
        return WrappedKey(kek.id, await kek.wrap(secret, _secret_context(tenant_id, owner_id)))

    async def unwrap_secret(self, tenant_id: str, owner_id: str, wrapped: WrappedKey) -> bytes:
        return await self.ring.kek(wrapped.kek_id).unwrap(
            wrapped.wrapped, _secret_context(tenant_id, owner_id)
        )

    async def rewrapped(self, tenant_id: str, customer_id: str, wrapped: WrappedKey) -> WrappedKey:
        """The same data key wrapped by the newest KEK (the data it seals is not touched)."""
        context = _wrap_context(tenant_id, customer_id)
        raw = await self.ring.kek(wrapped.kek_id).unwrap(wrapped.wrapped, context)
        newest = self.ring.newest
        return WrappedKey(newest.id, await newest.wrap(raw, context))
