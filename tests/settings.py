"""Settings for a test database. On SQLite the key file is the embedded default's (made beside the
database on first start); PostgreSQL needs one configured, shared by every test and process of the run
(the database is shared too)."""

from __future__ import annotations

import tempfile
import threading
from functools import cache
from pathlib import Path

from kycrail.config import Settings, load_settings
from kycrail.vault.keyring import create_key_file

_made = threading.Lock()


@cache
def _key_file() -> Path:
    path = Path(tempfile.mkdtemp(prefix="kycrail-test-keys-")) / "kycrail.keys"
    create_key_file(path)
    return path


def postgres_key_file() -> Path:
    with _made:  # servers start from several threads at once: one file for all
        return _key_file()


def settings_for(database_url: str, **overrides: object) -> Settings:
    # Tests drive the webhook worker step by step (tests/api/test_webhook_delivery.py runs it whole).
    overrides.setdefault("webhook_worker", False)
    if not database_url.startswith("sqlite"):
        overrides.setdefault("key_file", postgres_key_file())
    return load_settings(database_url=database_url, **overrides)
