"""Console fixtures: a browser-like client on the app (tests/console/desk.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from kycrail.operators import passwords
from tests.console.desk import Console, frozen_totp_clock


@pytest.fixture(autouse=True)
def _frozen_totp_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen_totp_clock(monkeypatch)


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, at its least cost: the console's tests enrol and sign in dozens of people, and
    the real cost (~130 ms a hash here, on purpose) is tested in tests/operators/test_passwords.py."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
async def browsers(app: FastAPI) -> AsyncIterator[Callable[[], Console]]:
    """Opens browsers on the app (each with its own cookies); closes them after the test."""
    opened: list[Console] = []

    def open_one() -> Console:
        opened.append(Console(app))
        return opened[-1]

    yield open_one
    for browser in opened:
        await browser.aclose()
