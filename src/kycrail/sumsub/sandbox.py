"""`kycrail serve --sandbox`: the SumSub emulator in-process, and a client wired to it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import httpx

from kycrail.config import Settings
from kycrail.sumsub.client import SumsubClient
from kycrail.sumsub.emulator import Emulator

SANDBOX_CLIENT_ID = "kycrail-sandbox"
# Not a network address: requests go through the ASGI transport to the in-process emulator.
_IN_PROCESS_URL = "http://sumsub.sandbox.invalid"
DONORS = ("approved", "partial", "rejected-final", "rejected-retry", "pending")


@dataclass(frozen=True, slots=True)
class Sandbox:
    emulator: Emulator
    client: SumsubClient


def in_process_sandbox(settings: Settings) -> Sandbox:
    """An emulator with the configured credentials (or fresh random ones) and a signed client for it."""
    app_token = (
        settings.sumsub_app_token.get_secret_value()
        if settings.sumsub_app_token
        else "sbx:" + secrets.token_urlsafe(24)
    )
    secret_key = (
        settings.sumsub_secret_key.get_secret_value()
        if settings.sumsub_secret_key
        else secrets.token_urlsafe(32)
    )
    emulator = Emulator(app_token, secret_key, client_id=SANDBOX_CLIENT_ID)
    client = SumsubClient(
        _IN_PROCESS_URL,
        app_token,
        secret_key,
        settings.sumsub_timeout_seconds,
        transport=httpx.ASGITransport(app=emulator),
    )
    return Sandbox(emulator=emulator, client=client)
