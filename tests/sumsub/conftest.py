"""What the SumSub tests share: an emulator on a fake clock, and clients signed for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import httpx
import pytest

from kycrail.sumsub.client import SumsubClient
from kycrail.sumsub.emulator import Emulator

APP_TOKEN = "sbx:test-app-token"
SECRET = "test-secret-key"
BASE_URL = "http://sumsub.test"
START = 1_760_000_000.0

ClientT = TypeVar("ClientT", bound=SumsubClient)


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emulator(clock: FakeClock) -> Emulator:
    return Emulator(APP_TOKEN, SECRET, clock=clock)


def signed_client(
    client_class: type[ClientT],
    emulator: Emulator,
    clock: Callable[[], float],
    *,
    app_token: str = APP_TOKEN,
    secret: str = SECRET,
    timeout: float = 5.0,
) -> ClientT:
    """A client of ``client_class`` speaking to ``emulator`` in-process, without retry back-off."""
    return client_class(
        BASE_URL,
        app_token,
        secret,
        timeout,
        transport=httpx.ASGITransport(app=emulator),
        clock=clock,
        retry_backoff_seconds=0,
    )
