"""Key-encryption keys (KEKs): what wraps each customer's data key.

The interface is the shape of a key management service's encrypt and decrypt with an encryption
context (AWS KMS ``Encrypt``/``Decrypt`` with ``EncryptionContext``, Vault Transit ``encrypt``/``decrypt``
with ``context``): a KMS-backed KEK is a class with an ``id`` and these two coroutines, and the key
never leaves the service. ``LocalKek`` holds a 256-bit key in memory, from the environment or a key file.
"""

from __future__ import annotations

import os
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32  # AES-256
_NONCE_BYTES = 12


class KeyUnavailable(Exception):
    """A wrapped key cannot be opened: its KEK is not in the ring, or it was not wrapped for this context."""


class KeyEncryptionKey(Protocol):
    @property
    def id(self) -> str: ...

    async def wrap(self, data_key: bytes, context: bytes) -> bytes:
        """Encrypt a data key; ``context`` is bound to it (authenticated, not stored)."""
        ...

    async def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        """The data key, or KeyUnavailable when ``wrapped`` was not made by this KEK for ``context``."""
        ...


class LocalKek:
    """AES-256-GCM key wrapping with a key held in this process."""

    def __init__(self, key_id: str, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"a key-encryption key is {KEY_BYTES} bytes, not {len(key)}")
        self._id = key_id
        self._aead = AESGCM(key)

    @property
    def id(self) -> str:
        return self._id

    async def wrap(self, data_key: bytes, context: bytes) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data_key, context)

    async def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        try:
            return self._aead.decrypt(wrapped[:_NONCE_BYTES], wrapped[_NONCE_BYTES:], context)
        except InvalidTag:
            raise KeyUnavailable(f"this data key was not wrapped by KEK {self._id} for this owner") from None

    def __repr__(self) -> str:  # never the key
        return f"LocalKek({self._id!r})"
