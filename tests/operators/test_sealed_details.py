"""Operators' emails and second-factor secrets are never stored in plaintext, and follow a KEK
rotation (kycrail/operators/service.py: sealed with the vault; ``kycrail kek rewrap``)."""

from __future__ import annotations

import os

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.operators import service as operators
from kycrail.operators.tables import operators as operators_table
from kycrail.storage import Storage
from kycrail.vault.kek import LocalKek
from kycrail.vault.keyring import KeyRing
from kycrail.vault.vault import Vault
from tests.console.desk import enrolled


async def test_no_operator_detail_is_stored_in_plaintext(storage: Storage, engine: AsyncEngine) -> None:
    person = await enrolled(storage, "rita@acme.example")
    async with engine.connect() as connection:
        row = (await connection.execute(select(operators_table))).one()
    stored = b"".join(value if isinstance(value, bytes) else str(value).encode() for value in row)
    assert b"rita@acme.example" not in stored
    assert person.secret.encode() not in stored
    assert person.password.encode() not in stored
    assert row.password_hash.startswith("$argon2id$")


async def test_a_rotation_rewraps_them_and_the_old_kek_can_go(storage: Storage) -> None:
    person = await enrolled(storage, "rita@acme.example")
    old_ring = storage.vault.ring
    new_kek = LocalKek("kek-rotated", os.urandom(32))
    rotated = Storage(storage.engine, Vault(KeyRing((*old_ring.keks, new_kek), old_ring.blind_index)))
    assert await operators.rewrap_secrets(rotated) == 1
    assert await operators.rewrap_secrets(rotated) == 0  # nothing left under the old one
    only_new = Storage(storage.engine, Vault(KeyRing((new_kek,), old_ring.blind_index)))
    found = await operators.find_by_email(only_new, "rita@acme.example")
    assert found.id == person.operator.id
    session_id, _ = await operators.sign_in(
        only_new, person.operator.email, person.password, person.code(), "198.51.100.1"
    )
    assert session_id
