"""Operators' tests: the TOTP check's clock stopped, as in the console's (tests/console/desk.py)."""

from __future__ import annotations

import pytest

from tests.console.desk import frozen_totp_clock


@pytest.fixture(autouse=True)
def _frozen_totp_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen_totp_clock(monkeypatch)
