"""Liveness and readiness probes: no key needed."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import text

from kycrail import db
from kycrail.api.common.resources import Resources, get_resources
from kycrail.api.common.wire import JSONResponse

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)
READINESS_TIMEOUT_SECONDS = 2.0


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The database is reachable",
    responses={503: {"description": "The database is not reachable"}},
)
async def readyz(resources: Annotated[Resources, Depends(get_resources)]) -> JSONResponse:
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_SECONDS):
            async with db.connect(resources.engine) as connection:
                await connection.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("readiness check failed: %s", type(exc).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
