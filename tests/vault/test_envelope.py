"""Data keys and KEKs: what is sealed opens only with its key, in its place."""

from __future__ import annotations

import pytest

from kycrail.vault.blind_index import BlindIndex
from kycrail.vault.envelope import CannotOpen, DataKey, context
from kycrail.vault.kek import KeyUnavailable, LocalKek


def test_a_sealed_value_opens_with_its_key_in_its_place_only() -> None:
    key, other = DataKey(DataKey.generate()), DataKey(DataKey.generate())
    where = context("customer_a", "customers.personal")
    sealed = key.seal(b"123-45-6789", where)
    assert b"123-45-6789" not in sealed
    assert key.open(sealed, where) == b"123-45-6789"
    assert key.seal(b"123-45-6789", where) != sealed  # a fresh nonce each time
    with pytest.raises(CannotOpen):
        other.open(sealed, where)
    for elsewhere in (context("customer_b", "customers.personal"), context("customer_a", "documents.x")):
        with pytest.raises(CannotOpen):  # copied into another row or field, it does not open
            key.open(sealed, elsewhere)
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(CannotOpen):
        key.open(tampered, where)
    with pytest.raises(CannotOpen):
        key.open(b"plain text", where)


async def test_a_kek_unwraps_only_what_it_wrapped_for_that_owner() -> None:
    kek, other = LocalKek("k1", bytes(range(32))), LocalKek("k2", bytes(32))
    data_key = DataKey.generate()
    wrapped = await kek.wrap(data_key, b"tenant\x00customer_a")
    assert data_key not in wrapped
    assert await kek.unwrap(wrapped, b"tenant\x00customer_a") == data_key
    with pytest.raises(KeyUnavailable):
        await kek.unwrap(wrapped, b"tenant\x00customer_b")
    with pytest.raises(KeyUnavailable):
        await other.unwrap(wrapped, b"tenant\x00customer_a")
    assert "0102" not in repr(kek)
    with pytest.raises(ValueError, match="32 bytes"):
        LocalKek("short", bytes(16))


def test_blind_indexes_are_keyed_per_tenant_and_normalised() -> None:
    index = BlindIndex(bytes(range(32)))
    assert index.email("t1", "Jane@Example.com ") == index.email("t1", "jane@example.com")
    assert index.email("t1", "jane@example.com") != index.email("t2", "jane@example.com")
    assert index.email("t1", "+14155550100") != index.phone("t1", "+14155550100")  # fields apart
    assert BlindIndex(bytes(32)).email("t1", "jane@example.com") != index.email("t1", "jane@example.com")
    assert len(index.phone("t1", "+14155550100")) == 32
    with pytest.raises(ValueError, match="32 bytes"):
        BlindIndex(b"short")
