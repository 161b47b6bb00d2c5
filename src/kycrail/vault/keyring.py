"""The key ring: the KEKs that wrap data keys (the newest wraps new ones) and the blind-index key.

Keys come from the environment (``KYCRAIL_KEKS`` and ``KYCRAIL_BLIND_INDEX_KEY``) or from a key file
(``KYCRAIL_KEY_FILE``). On SQLite with neither, kycrail creates a key file beside the database on first
start (mode 0600) so that the embedded default stays one command; on PostgreSQL a key must be
configured, since several processes must share it.

The key file is JSON: ``{"version": 1, "keks": [{"id", "key"}, ...], "blind_index_key"}`` with keys in
base64; the last KEK listed is the newest.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kycrail.config import Settings
from kycrail.vault.blind_index import BlindIndex
from kycrail.vault.kek import KEY_BYTES, KeyEncryptionKey, KeyUnavailable, LocalKek

log = logging.getLogger(__name__)

_KEK_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_FILE_VERSION = 1


class KeyRingError(Exception):
    """The configured keys are missing or malformed; the message names what to fix."""


@dataclass(frozen=True, slots=True)
class KeyRing:
    keks: tuple[KeyEncryptionKey, ...]  # oldest first: the last one wraps new data keys
    blind_index: BlindIndex

    def __post_init__(self) -> None:
        if not self.keks:
            raise KeyRingError("the key ring holds no key-encryption key")
        ids = [kek.id for kek in self.keks]
        if len(set(ids)) != len(ids):
            raise KeyRingError("two key-encryption keys share an id")

    @property
    def newest(self) -> KeyEncryptionKey:
        return self.keks[-1]

    def kek(self, kek_id: str) -> KeyEncryptionKey:
        for kek in self.keks:
            if kek.id == kek_id:
                return kek
        raise KeyUnavailable(f"key-encryption key {kek_id} is not in the key ring")


def new_kek_id() -> str:
    return f"kek_{datetime.now(UTC):%Y%m%d}_{secrets.token_hex(4)}"


def _key_bytes(text: str, what: str, length: int = KEY_BYTES) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyRingError(f"{what} is not base64") from None
    if len(key) != length:
        raise KeyRingError(f"{what} must be {length} bytes (base64 of {length} random bytes), not {len(key)}")
    return key


def _kek(kek_id: str, key_text: str) -> LocalKek:
    if not _KEK_ID.fullmatch(kek_id):
        raise KeyRingError(f"key-encryption key id {kek_id!r}: use letters, digits and _.:- (at most 64)")
    return LocalKek(kek_id, _key_bytes(key_text, f"key-encryption key {kek_id}"))


def ring_from_text(keks: str, blind_index_key: str) -> KeyRing:
    """``KYCRAIL_KEKS``: ``id:base64key,id:base64key`` (oldest first); the blind-index key: base64."""
    entries = []
    for item in (part.strip() for part in keks.split(",")):
        kek_id, sep, key_text = item.partition(":")
        if not sep:
            raise KeyRingError("KYCRAIL_KEKS: expected id:base64key entries separated by commas")
        entries.append(_kek(kek_id.strip(), key_text.strip()))
    return KeyRing(tuple(entries), BlindIndex(_key_bytes(blind_index_key, "the blind-index key")))


# --- the key file -----------------------------------------------------------------------------------


def _random_key() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise KeyRingError(f"cannot read the key file {path}: {exc.__class__.__name__}") from None
    if (
        not isinstance(data, dict)
        or data.get("version") != _FILE_VERSION
        or not isinstance(data.get("keks"), list)
    ):
        raise KeyRingError(f"{path} is not a kycrail key file (version {_FILE_VERSION})")
    return data


def ring_from_file(path: Path) -> KeyRing:
    data = _read(path)
    if path.stat().st_mode & 0o077:
        log.warning("the key file %s is readable by other users: chmod 600 it", path)
    keks = []
    for entry in data["keks"]:  # type: ignore[attr-defined]
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("id"), str)
            or not isinstance(entry.get("key"), str)
        ):
            raise KeyRingError(f'{path}: each KEK is {{"id": ..., "key": ...}}')
        keks.append(_kek(entry["id"], entry["key"]))
    index_key = data.get("blind_index_key")
    if not isinstance(index_key, str):
        raise KeyRingError(f"{path}: blind_index_key is missing")
    return KeyRing(tuple(keks), BlindIndex(_key_bytes(index_key, "the blind-index key")))


def _write_new(path: Path, data: dict[str, object], *, replace: bool) -> None:
    """Write the file whole, mode 0600, then move it into place: readers never see half a file.
    Without ``replace``, an existing file wins (two processes starting at once share one key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".kycrail-keys-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w") as file:  # mkstemp creates it 0600
            json.dump(data, file, indent=2)
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            with contextlib.suppress(FileExistsError):  # an existing key is never overwritten
                os.link(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def create_key_file(path: Path) -> bool:
    """A new key file with one KEK and a blind-index key; False if the file already existed."""
    if path.exists():
        return False
    _write_new(
        path,
        {
            "version": _FILE_VERSION,
            "keks": [{"id": new_kek_id(), "key": _random_key()}],
            "blind_index_key": _random_key(),
        },
        replace=False,
    )
    return True


def add_kek(path: Path) -> str:
    """Append a new KEK to the key file (it becomes the newest); returns its id."""
    data = _read(path)
    kek_id = new_kek_id()
    data["keks"] = [*data["keks"], {"id": kek_id, "key": _random_key()}]  # type: ignore[misc]
    _write_new(path, data, replace=True)
    return kek_id


def remove_kek(path: Path, kek_id: str) -> None:
    """Drop a retired KEK from the key file (never the newest): what it wrapped no longer opens."""
    data = _read(path)
    keks = data["keks"]
    assert isinstance(keks, list)
    if not any(entry.get("id") == kek_id for entry in keks):
        raise KeyRingError(f"{path} holds no KEK {kek_id}")
    if keks[-1].get("id") == kek_id:
        raise KeyRingError(f"{kek_id} is the newest KEK: add a new one and rewrap before retiring it")
    data["keks"] = [entry for entry in keks if entry.get("id") != kek_id]
    _write_new(path, data, replace=True)


def default_key_file(sqlite_path: Path) -> Path:
    """Beside the SQLite database: ``kycrail.db`` -> ``kycrail.db.keys``."""
    return sqlite_path.with_name(sqlite_path.name + ".keys")


def ring_from_settings(settings: Settings) -> KeyRing:
    """The configured key ring; on SQLite with none configured, the key file beside the database
    (created on first use, and said so once)."""
    if settings.keks is not None or settings.blind_index_key is not None:
        if settings.keks is None or settings.blind_index_key is None:
            raise KeyRingError("set both KYCRAIL_KEKS and KYCRAIL_BLIND_INDEX_KEY, or KYCRAIL_KEY_FILE")
        return ring_from_text(settings.keks.get_secret_value(), settings.blind_index_key.get_secret_value())
    path = settings.key_file
    if path is None:
        sqlite_path = settings.sqlite_path
        if sqlite_path is None:
            raise KeyRingError(
                "PostgreSQL needs the encryption keys every process shares: set KYCRAIL_KEY_FILE "
                "(create one with `kycrail kek init --key-file PATH`) or KYCRAIL_KEKS and "
                "KYCRAIL_BLIND_INDEX_KEY"
            )
        path = default_key_file(sqlite_path)
        if create_key_file(path):
            log.warning(
                "created the encryption key file %s (mode 0600): back it up apart from the database; "
                "without it no customer's personal data can be read (README: moving to a managed key)",
                path,
            )
    elif not path.exists():
        raise KeyRingError(f"KYCRAIL_KEY_FILE: {path} does not exist (create it with `kycrail kek init`)")
    return ring_from_file(path)
