"""Answers both dialects build the same way."""

from __future__ import annotations

from typing import Any

from kycrail.api.common.concurrency import etag
from kycrail.api.common.wire import JSONResponse
from kycrail.customers.model import Customer


def customer_response(body: dict[str, Any], customer: Customer, status_code: int = 200) -> JSONResponse:
    """A customer in a dialect's shape, with its version as ``ETag`` (sent back as ``If-Match``)."""
    return JSONResponse(body, status_code=status_code, headers={"ETag": etag(customer)})
