"""Turns every error a request can meet into the response of the dialect its path belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from kycrail.api.common.middleware.auth import request_id
from kycrail.api.dialects import owner_of
from kycrail.errors import (
    FieldError,
    HttpError,
    KycrailError,
    MethodNotAllowed,
    RouteNotFound,
    ValidationFailed,
)


def render_error(path: str, error: KycrailError, request_id: str) -> Response:
    """In the shape of the dialect that owns the path (api/dialects.py)."""
    return owner_of(path).errors.render(error, request_id)


def _json_pointer(parts: Sequence[Any]) -> str:
    # RFC 6901: "~" and "/" inside a key are escaped.
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _is_key_at(body: Any, path: Sequence[Any], candidate: Any) -> bool:
    """Whether ``candidate`` is a key of the object at ``path`` in ``body``."""
    for part in path:
        try:
            body = body[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(body, dict) and isinstance(candidate, str) and candidate in body


def field_errors_from_pydantic(errors: Sequence[Any], body: Any = None) -> tuple[FieldError, ...]:
    """Pydantic's error list as field errors: body fields get JSON pointers, the rest a parameter name."""
    field_errors = []
    for error in errors:
        location, *path = error.get("loc") or ("body",)
        message = str(error.get("msg", "Invalid value.")).removeprefix("Value error, ")
        if error.get("type") == "json_invalid":
            # Its location is a character offset, not a field: point at the whole document.
            field_errors.append(FieldError(pointer="", detail=f"Invalid JSON: {message}"))
        elif location == "body":
            if error.get("type") == "string_unicode" and _is_key_at(body, path, error.get("input")):
                # A key pydantic cannot encode (a lone surrogate) is reported as the input of an error
                # on the object holding it; field names are ASCII, so it is an unknown key.
                path, message = [*path, error["input"]], "Extra inputs are not permitted"
            field_errors.append(FieldError(pointer=_json_pointer(path), detail=message))
        else:
            name = str(path[0]) if path else str(location)
            field_errors.append(FieldError(pointer=None, parameter=name, detail=message))
    return tuple(field_errors)


async def _on_kycrail_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KycrailError)
    return render_error(request.url.path, exc, request_id(request))


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    error = ValidationFailed(errors=field_errors_from_pydantic(exc.errors(), exc.body))
    return render_error(request.url.path, error, request_id(request))


async def _on_http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 (no route) and 405 (wrong method), in the dialect's shape."""
    assert isinstance(exc, HTTPException)
    error: KycrailError
    if isinstance(exc.__cause__, KycrailError):
        # FastAPI wraps what fails while it reads a body (such as our size cap) in a generic 400.
        error = exc.__cause__
    elif exc.status_code == 404:
        error = RouteNotFound()
    elif exc.status_code == 405:
        error = MethodNotAllowed(headers=dict(exc.headers or {}))
    elif exc.status_code == 400:
        # FastAPI's answer to a body it could not read at all (not UTF-8, a broken multipart envelope).
        error = ValidationFailed(
            errors=(FieldError("", "The body could not be read: not JSON in UTF-8, or a broken form."),)
        )
    else:
        error = HttpError(exc.status_code, str(exc.detail))
    return render_error(request.url.path, error, request_id(request))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(KycrailError, _on_kycrail_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(HTTPException, _on_http_error)
