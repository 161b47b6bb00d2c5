"""A customer's data key: seals and opens personal data with AES-256-GCM.

Every ciphertext is bound to where it belongs (the customer's id and the field, as associated data):
a ciphertext copied into another customer's row, or into another field, does not open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_FORMAT = b"\x01"  # the first byte of every sealed value: AES-256-GCM, 96-bit random nonce
_NONCE_BYTES = 12


class CannotOpen(Exception):
    """The ciphertext was not sealed by this key for this place (or was tampered with)."""


def context(owner_id: str, field: str) -> bytes:
    """The associated data of a sealed value: whose it is and which field it fills."""
    return f"{owner_id}\x00{field}".encode()


class DataKey:
    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @staticmethod
    def generate() -> bytes:
        return AESGCM.generate_key(bit_length=256)

    def seal(self, plaintext: bytes, where: bytes) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return _FORMAT + nonce + self._aead.encrypt(nonce, plaintext, where)

    def open(self, sealed: bytes, where: bytes) -> bytes:
        if sealed[:1] != _FORMAT:
            raise CannotOpen("not a sealed value")
        try:
            return self._aead.decrypt(sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :], where)
        except InvalidTag:
            raise CannotOpen("this value was not sealed by this key for this place") from None

    def __repr__(self) -> str:  # never the key
        return "DataKey(...)"
