"""The key ring: from the environment or a key file; the embedded default makes its own, once."""

from __future__ import annotations

import base64
import json
import logging
import stat
from pathlib import Path

import pytest

from kycrail.config import load_settings
from kycrail.vault.kek import KeyUnavailable
from kycrail.vault.keyring import (
    KeyRingError,
    add_kek,
    create_key_file,
    default_key_file,
    remove_kek,
    ring_from_file,
    ring_from_settings,
    ring_from_text,
)

KEY = base64.b64encode(bytes(range(32))).decode()


def test_the_embedded_default_creates_a_private_key_file_beside_sqlite_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'kycrail.db'}")
    with caplog.at_level(logging.WARNING):
        first = ring_from_settings(settings)
        second = ring_from_settings(settings)
    path = default_key_file(tmp_path / "kycrail.db")
    assert path == tmp_path / "kycrail.db.keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [kek.id for kek in first.keks] == [kek.id for kek in second.keks]  # the same key, not a new one
    created = [
        record for record in caplog.records if "created the encryption key file" in record.getMessage()
    ]
    assert len(created) == 1  # said once
    assert KEY not in caplog.text


def test_postgresql_without_a_configured_key_is_refused_with_what_to_set() -> None:
    settings = load_settings(database_url="postgresql://postgres@127.0.0.1/none")
    with pytest.raises(KeyRingError, match="KYCRAIL_KEY_FILE"):
        ring_from_settings(settings)


def test_keys_from_the_environment_the_last_one_newest() -> None:
    other = base64.b64encode(bytes(32)).decode()
    ring = ring_from_text(f"old:{KEY}, new:{other}", KEY)
    assert [kek.id for kek in ring.keks] == ["old", "new"]
    assert ring.newest.id == "new"
    assert ring.kek("old").id == "old"
    with pytest.raises(KeyUnavailable):
        ring.kek("gone")
    settings = load_settings(
        database_url="postgresql://postgres@127.0.0.1/none", keks=f"k1:{KEY}", blind_index_key=KEY
    )
    assert ring_from_settings(settings).newest.id == "k1"


@pytest.mark.parametrize(
    ("keks", "index_key", "complaint"),
    [
        ("k1", KEY, "id:base64key"),
        ("k1:not base64!", KEY, "not base64"),
        (f"k1:{base64.b64encode(bytes(16)).decode()}", KEY, "32 bytes"),
        (f"k1:{KEY},k1:{KEY}", KEY, "share an id"),
        (f"bad id:{KEY}", KEY, "letters, digits"),
        (f"k1:{KEY}", "short", "not base64"),
    ],
)
def test_malformed_keys_are_refused_without_echoing_them(keks: str, index_key: str, complaint: str) -> None:
    with pytest.raises(KeyRingError, match=complaint) as refused:
        ring_from_text(keks, index_key)
    assert KEY not in str(refused.value)


def test_half_configured_environment_keys_are_refused() -> None:
    settings = load_settings(database_url="postgresql://postgres@127.0.0.1/none", keks=f"k1:{KEY}")
    with pytest.raises(KeyRingError, match="both"):
        ring_from_settings(settings)


def test_a_key_file_is_never_overwritten_and_rotates_by_appending(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "kycrail.keys"
    assert create_key_file(path)
    original = path.read_text()
    assert not create_key_file(path)
    assert path.read_text() == original
    first = ring_from_file(path).newest.id
    second = add_kek(path)
    ring = ring_from_file(path)
    assert [kek.id for kek in ring.keks] == [first, second]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(KeyRingError, match="newest"):
        remove_kek(path, second)
    remove_kek(path, first)
    assert [kek.id for kek in ring_from_file(path).keks] == [second]
    assert json.loads(path.read_text())["blind_index_key"] == json.loads(original)["blind_index_key"]
    assert not list(path.parent.glob(".kycrail-keys-*"))  # no temporary file left behind


def test_a_file_that_is_not_a_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kycrail.keys"
    path.write_text('{"hello": "world"}')
    with pytest.raises(KeyRingError, match="not a kycrail key file"):
        ring_from_file(path)
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", key_file=tmp_path / "missing")
    with pytest.raises(KeyRingError, match="does not exist"):
        ring_from_settings(settings)
