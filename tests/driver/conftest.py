"""The driver's tests run on the database the suite runs on (SQLite, or PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.config import to_async_database_url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = db.create_engine(to_async_database_url(database_url))
    yield engine
    await engine.dispose()
