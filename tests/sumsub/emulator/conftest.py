"""An httpx client speaking to the emulator in-process (``clock`` and ``emulator``: tests/sumsub)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from tests.sumsub.conftest import BASE_URL


@pytest.fixture
async def http(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=emulator), base_url=BASE_URL) as c:
        yield c
