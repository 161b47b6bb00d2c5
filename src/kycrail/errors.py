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
    retryable = False  # the same request may succeed later

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: tuple[FieldError, ...] = (),
        headers: dict[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        if detail is not None:
            self.detail = detail
        if code is not None:
            self.code = code
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
        errors = (FieldError(pointer, detail),) if pointer else ()
        super().__init__(detail, errors=errors, code=code)


class Conflict(KycrailError):
    status = 409
    code = "conflict"
    detail = "The request conflicts with the resource's current state."


class PreconditionFailed(KycrailError):
    """If-Match named another version than the current one: read the customer again."""

    status = 412
    code = "precondition_failed"
    detail = "The customer has changed since you read it."


class IdempotencyKeyInvalid(KycrailError):
    status = 400
    code = "idempotency_key_invalid"
    detail = "Idempotency-Key must be 1 to 255 visible ASCII characters."


class IdempotencyConflict(KycrailError):
    status = 409
    code = "idempotency_conflict"
    detail = "This Idempotency-Key was used with another request (method, path or body)."


class IdempotencyInProgress(KycrailError):
    status = 409
    code = "idempotency_request_in_progress"
    detail = "A request with this Idempotency-Key is still running; retry shortly."
    retryable = True

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "1"})


class RateLimited(KycrailError):
    status = 429
    code = "rate_limited"
    detail = "Too many requests for this API key; slow down."
    retryable = True

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(headers={"Retry-After": str(retry_after_seconds)})


class PayloadTooLarge(KycrailError):
    status = 413
    code = "payload/too-large"
    detail = "The request body is too large."


class MethodNotAllowed(KycrailError):
    status = 405
    code = "method/not-allowed"
    detail = "This method is not allowed on this path."


class InvalidShareToken(KycrailError):
    """The share token is malformed, expired or already used: mint a fresh one and send it again."""

    status = 400
    code = "share_token_invalid"
    detail = "The share token is invalid, expired or already used; generate a new one."


class RejectedShareToken(KycrailError):
    """A valid token whose KYC cannot be taken over (donor not approved, not suitable, ...)."""

    status = 422
    code = "share_token_rejected"


class KycProviderUnavailable(KycrailError):
    status = 502
    code = "kyc_provider_unavailable"
    detail = "The KYC provider did not answer properly; retry the request."
    retryable = True


class KycProviderMisconfigured(KycrailError):
    status = 502
    code = "kyc_provider_misconfigured"
    detail = "The KYC provider refused this service's credentials; the operator has been told."


class DatabaseUnavailable(KycrailError):
    """The connection to the database broke (a restart, a failover): the request wrote nothing."""

    status = 503
    code = "database/unavailable"
    detail = "The database is unreachable for a moment; retry the request."
    retryable = True

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "1"})


class InternalError(KycrailError):
    """What an unexpected exception becomes: nothing internal, only the request id."""
