"""The long-lived objects a running app holds (settings, engine, SumSub client), reached from a request."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.config import Settings
from kycrail.customers.imported import ImportedKyc
from kycrail.sumsub.client import SumsubClient
from kycrail.sumsub.importer import fetch_share_token_kyc
from kycrail.tenants.service import KeyCache


@dataclass(frozen=True, slots=True)
class Resources:
    settings: Settings
    engine: AsyncEngine
    sumsub: SumsubClient | None = None  # None when SumSub is not configured
    key_cache: KeyCache | None = None

    async def fetch_share_token(self, share_token: str) -> ImportedKyc:
        return await fetch_share_token_kyc(
            self.sumsub,
            share_token,
            mode=self.settings.sumsub_import_mode,
            level_name=self.settings.sumsub_level_name,
        )


async def get_resources(request: Request) -> Resources:
    # async: FastAPI runs plain-def dependencies in a thread pool, a thread hop per request
    resources: Resources = request.app.state.resources
    return resources
