"""Errors in Sphere's shape: ``{status, detail, code, correlationId, errors[{detail, pointer}]}``."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

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
