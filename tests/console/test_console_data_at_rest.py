"""What the console writes holds nothing personal in plaintext: an operator's email and second-factor
secret, an internal note, a proposal's reasons, the address failed sign-ins came from. The SQLite files
are scanned byte for byte, before and after a checkpoint (tests/test_data_at_rest.py's scan)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.config import Settings
from kycrail.storage import Storage
from tests.api.test_kyc_decisions import pending_emily
from tests.conftest import KeyFactory
from tests.console.desk import Console, enrolled
from tests.test_data_at_rest import scan, sqlite_checkpoint, sqlite_files

Browsers = Callable[[], Console]


@pytest.mark.sqlite_only
async def test_no_console_canary_is_in_the_sqlite_files(
    client: httpx.AsyncClient,
    make_key: KeyFactory,
    storage: Storage,
    engine: AsyncEngine,
    settings: Settings,
    browsers: Browsers,
) -> None:
    headers = {"Authorization": f"Bearer {await make_key('acme')}"}
    customer_id = await pending_emily(client, headers)
    email = f"canary-{secrets.token_hex(6)}@acme.example"
    note, reason = f"note-canary-{secrets.token_hex(6)}", f"reason-canary-{secrets.token_hex(6)}"
    person = await enrolled(storage, email)
    browser = browsers()
    await browser.post(
        "/console/sign-in",
        {"email": email, "password": "wrong wrong wrong", "code": "1"},
        token_from="/console/sign-in",
    )
    await browser.sign_in(person)
    page = (await browser.get(f"/console/customers/{customer_id}")).text
    version = page.split('name="version" value="')[1].split('"')[0]
    proposed = await browser.post(
        f"/console/customers/{customer_id}/decide",
        {
            "choice": "reject",
            "version": version,
            "criterion": "identity_document",
            "reason.identity_document": reason,
            "note": note,
        },
    )
    assert proposed.status_code == 303
    shown = (await browser.get(f"/console/customers/{customer_id}")).text
    assert note in shown  # written, and read back
    assert reason in shown
    needles = {
        "email": [email.encode()],
        "totp secret": [person.secret.encode()],
        "note": [note.encode()],
        "reason": [reason.encode()],
        "address": [b"203.0.113.7"],
    }
    assert scan(sqlite_files(settings), needles) == []
    await sqlite_checkpoint(engine)
    assert scan(sqlite_files(settings), needles) == []
