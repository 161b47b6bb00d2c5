"""Fixtures for the HTTP API tests: keys of two tenants, a reviewer, and customer payloads."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kycrail.config import Settings
from kycrail.tenants.keys import Role
from tests.conftest import KeyFactory
from tests.factories import jane
from tests.settings import settings_for


@pytest.fixture
def document_store() -> dict[str, object]:
    """Where documents' files go: the database (the default); tests/api's document tests run on an S3
    store too (tests/s3.py), by overriding this fixture."""
    return {}


@pytest.fixture
def settings(database_url: str, document_store: dict[str, object]) -> Settings:
    """API tests run as `kycrail serve --sandbox` does: SumSub is the in-process emulator."""
    return settings_for(database_url, sandbox=True, **document_store)


ACME = "acme"
GLOBEX = "globex"


@pytest.fixture
async def headers(make_key: KeyFactory) -> dict[str, str]:
    """Tenant acme's api key."""
    return {"Authorization": f"Bearer {await make_key(ACME)}"}


@pytest.fixture
async def other_headers(make_key: KeyFactory) -> dict[str, str]:
    """Another tenant (globex): must never see acme's customers."""
    return {"Authorization": f"Bearer {await make_key(GLOBEX)}"}


@pytest.fixture
async def admin_headers(make_key: KeyFactory) -> dict[str, str]:
    """Tenant acme's admin key (erasure on request)."""
    return {"Authorization": f"Bearer {await make_key(ACME, Role.admin)}"}


@pytest.fixture
async def reviewer_headers(make_key: KeyFactory) -> dict[str, str]:
    """Tenant acme's reviewer key."""
    return {"Authorization": f"Bearer {await make_key(ACME, Role.reviewer)}"}


@pytest.fixture
def create_customer(client: httpx.AsyncClient, headers: dict[str, str]) -> Any:
    """POST /v2/customer as acme and return the created customer's body (asserting 201)."""

    async def create(body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await client.post(
            "/v2/customer", json=body if body is not None else jane(), headers=headers
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    return create
