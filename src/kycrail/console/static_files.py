"""The console's stylesheet, from the package (never a CDN)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from kycrail.console import pages

router = APIRouter(prefix="/console", include_in_schema=False)
_CSS = (pages.STATIC / "console.css").read_bytes()


@router.get("/static/console.css")
async def stylesheet() -> Response:
    headers = {**pages.HEADERS, "Cache-Control": "public, max-age=3600"}
    return Response(_CSS, media_type="text/css", headers=headers)
