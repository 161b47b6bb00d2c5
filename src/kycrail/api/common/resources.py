"""The long-lived objects a running app holds (settings, engine, KYC provider), reached from a request."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.config import Settings
from kycrail.customers.provider import KycProvider
from kycrail.storage import Storage
from kycrail.sumsub.client import SumsubClient
from kycrail.tenants.service import KeyCache


@dataclass(frozen=True, slots=True)
class Resources:
    settings: Settings
    engine: AsyncEngine
    storage: Storage  # the engine, and the vault personal data is sealed with
    kyc_provider: KycProvider
    sumsub: SumsubClient | None = None  # the provider's client; None when SumSub is not configured
    key_cache: KeyCache | None = None


async def get_resources(request: Request) -> Resources:
    # async: FastAPI runs plain-def dependencies in a thread pool, a thread hop per request
    resources: Resources = request.app.state.resources
    return resources
