"""The long-lived objects a running app holds (engine, settings), reached from a request."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.config import Settings


@dataclass(frozen=True, slots=True)
class Resources:
    settings: Settings
    engine: AsyncEngine


def get_resources(request: Request) -> Resources:
    resources: Resources = request.app.state.resources
    return resources
