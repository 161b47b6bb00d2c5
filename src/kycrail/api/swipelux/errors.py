"""Errors in Swipelux's shape: ``{message, code, errors[{pointer, message}], requestId}``.

Swipelux documents ``{"message": ...}``; the extra keys keep that compatible while telling more.
Codes are snake_case here, as in Swipelux's newer API.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from kycrail.errors import FieldError, KycrailError

_CODES = {
    "unauthorized": "unauthorized",
    "forbidden": "forbidden",
    "resource/not-found": "not_found",
    "validation/failed": "validation_failed",
    "conflict": "conflict",
    "payload/too-large": "payload_too_large",
    "method/not-allowed": "method_not_allowed",
    "internal/error": "internal_error",
}
# Swipelux's documented wording for the cases it documents.
_MESSAGES = {"unauthorized": "Unauthorized"}


def swipelux_code(code: str) -> str:
    return _CODES.get(code) or code.replace("/", "_").replace("-", "_")


def _field_error(error: FieldError) -> dict[str, Any]:
    if error.pointer is not None:
        return {"pointer": error.pointer, "message": error.detail}
    return {"parameter": error.parameter, "message": error.detail}


def render_error(error: KycrailError, request_id: str) -> JSONResponse:
    code = swipelux_code(error.code)
    body = {
        "message": _MESSAGES.get(code, error.detail),
        "code": code,
        "errors": [_field_error(item) for item in error.errors],
        "requestId": request_id,
    }
    return JSONResponse(body, status_code=error.status, headers=error.headers)
