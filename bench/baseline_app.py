"""The baseline: the least a FastAPI app does to answer the benchmarked requests, all from memory.

It answers with bodies captured from a real kycrail during the run (the fixture file: the API's answers,
the console's queue page) and is
served exactly as ``kycrail serve`` serves (``kycrail.serving.server``: granian, uvloop, HTTP/1.1, one
worker, no access log), so kycrail's requests/s divided by the baseline's is the share of the framework's
ceiling it keeps.

    python bench/baseline_app.py --port 8200 --fixture fixture.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict

from kycrail import serving
from kycrail.config import Settings


class AddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line1: str
    line2: str | None = None
    city: str
    state: str | None = None
    postalCode: str | None = None
    country: str


class UpdateCustomerIn(BaseModel):
    """The PATCH body's fields, parsed and validated as kycrail's model does (without its rules)."""

    model_config = ConfigDict(extra="forbid")

    address: AddressIn | None = None
    meta: dict[str, str | int | float | bool | None] | None = None


def create_app(fixture: dict[str, Any]) -> FastAPI:
    """The routes whose answers the fixture holds: the API's (get, patch, lists), the console's queue."""
    app = FastAPI(title="kycrail benchmark baseline")

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    if "customer" in fixture:
        _api_routes(app, fixture)
    if "console-queue" in fixture:
        _console_routes(app, fixture["console-queue"])
    return app


def _api_routes(app: FastAPI, fixture: dict[str, Any]) -> None:
    customer: dict[str, Any] = fixture["customer"]
    patched: dict[str, Any] = fixture["patched"]
    etag: str = fixture["etag"]
    list_v2: dict[str, Any] = fixture["list_v2"]
    list_v1: dict[str, Any] = fixture["list_v1"]

    @app.get("/v2/customer/{customer_id}")
    async def get_customer(customer_id: str) -> JSONResponse:
        return JSONResponse({**customer, "id": customer_id}, headers={"ETag": etag})

    @app.patch("/v2/customer/{customer_id}")
    async def update_customer(customer_id: str, body: UpdateCustomerIn) -> JSONResponse:
        return JSONResponse({**patched, "id": customer_id}, headers={"ETag": etag})

    @app.get("/v2/customer")
    async def list_v2_customers(page: int = 1, limit: int = 10) -> JSONResponse:
        return JSONResponse(list_v2)

    @app.get("/v1/customers")
    async def list_v1_customers(limit: int = 20, offset: int = 0) -> JSONResponse:
        return JSONResponse(list_v1)


def _console_routes(app: FastAPI, queue_page: str) -> None:
    # The page as kycrail rendered it for the signed-in reviewer: no session, no query, no template.
    @app.get("/console/queue")
    async def console_queue() -> HTMLResponse:
        return HTMLResponse(queue_page)


FIXTURE_VARIABLE = "KYCRAIL_BASELINE_FIXTURE"


def app_from_environment() -> FastAPI:
    """The factory the server's worker calls (granian takes an import string)."""
    return create_app(json.loads(Path(os.environ[FIXTURE_VARIABLE]).read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fixture", type=Path, required=True)
    args = parser.parse_args()
    os.environ[FIXTURE_VARIABLE] = str(args.fixture.resolve())
    sys.path.insert(0, str(Path(__file__).parent))
    serving.server(
        "baseline_app:app_from_environment",
        host="127.0.0.1",
        port=args.port,
        workers=1,
        log_level="warning",
        limits=serving.ConnectionLimits.of(Settings()),  # kycrail's defaults: the same server
    ).serve()


if __name__ == "__main__":
    main()
