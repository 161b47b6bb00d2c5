"""Errors in Sphere's shape: ``{status, detail, code, correlationId, errors[{detail, pointer}]}``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from kycrail.api.common.wire import JSONResponse
from kycrail.errors import FieldError, KycrailError


def _field_error(error: FieldError) -> dict[str, Any]:
    if error.pointer is not None:
        return {"detail": error.detail, "pointer": error.pointer}
    return {"detail": error.detail, "parameter": error.parameter}


def render_error(error: KycrailError, request_id: str) -> JSONResponse:
    body = {
        "status": error.status,
        "detail": error.detail,
        "code": error.code,
        "correlationId": request_id,
        "errors": [_field_error(item) for item in error.errors],
    }
    return JSONResponse(body, status_code=error.status, headers=error.headers)


class FieldErrorOut(BaseModel):
    detail: str
    pointer: str | None = None
    parameter: str | None = None


class ErrorOut(BaseModel):
    status: int
    detail: str
    code: str
    correlationId: str
    errors: list[FieldErrorOut]


# For the OpenAPI document: every error status the /v2 routes may answer.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in {
        400: "A business rule refused the request (identity locked, cross-field rule)",
        401: "Invalid or missing API key",
        404: "No such customer for this tenant",
        409: "Conflicts with the current state (duplicate email or phone)",
        412: "If-Match named another version than the customer's current one",
        413: "Payload too large",
        422: "A field is malformed (validation/failed, with a pointer per field)",
        429: "Too many requests for this API key (see Retry-After)",
    }.items()
}
