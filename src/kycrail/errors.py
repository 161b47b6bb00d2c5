"""Typed errors raised by domain and service code; each API dialect renders them in its own shape."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input.

    For the body, ``pointer`` is a JSON pointer such as ``/address/postalCode``; for a query or path
    parameter, ``parameter`` names it and ``pointer`` is None.
    """

    pointer: str | None
    detail: str
    parameter: str | None = None


class KycrailError(Exception):
    """Base of every error a client may see. ``code`` is dialect-neutral; dialects may rename it."""

    status = 500
    code = "internal/error"
    detail = "An unexpected error occurred."

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: tuple[FieldError, ...] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        if detail is not None:
            self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        super().__init__(self.detail)


class Unauthenticated(KycrailError):
    status = 401
    code = "unauthorized"
    detail = "Invalid or missing API key."

    def __init__(self) -> None:
        super().__init__(headers={"WWW-Authenticate": "Bearer"})


class Forbidden(KycrailError):
    status = 403
    code = "forbidden"
    detail = "This API key's role may not do this."


class NotFound(KycrailError):
    status = 404
    code = "resource/not-found"
    detail = "Resource not found."


class ValidationFailed(KycrailError):
    """The payload does not parse or a field is malformed (422, one pointer per bad field)."""

    status = 422
    code = "validation/failed"
    detail = "The request is invalid."


class RuleViolation(KycrailError):
    """A well-formed request that a business rule refuses (400), with its own code."""

    status = 400

    def __init__(self, code: str, detail: str, *, pointer: str | None = None) -> None:
        self.code = code
        errors = (FieldError(pointer, detail),) if pointer else ()
        super().__init__(detail, errors=errors)


class Conflict(KycrailError):
    status = 409
    code = "conflict"
    detail = "The request conflicts with the resource's current state."


class PayloadTooLarge(KycrailError):
    status = 413
    code = "payload/too-large"
    detail = "The request body is too large."


class MethodNotAllowed(KycrailError):
    status = 405
    code = "method/not-allowed"
    detail = "This method is not allowed on this path."


class InternalError(KycrailError):
    """What an unexpected exception becomes: nothing internal, only the request id."""
