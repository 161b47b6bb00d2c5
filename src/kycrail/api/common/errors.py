"""How a wire dialect answers errors: one table per dialect, keyed by error class.

Each dialect's ``errors.py`` builds an ``ErrorTable``: for every ``KycrailError`` class, the status and
code it answers in that dialect's own style, and the shape of its error body. The same table gives
each operation the OpenAPI error responses of exactly the errors it can raise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from kycrail.api.common.wire import JSONResponse
from kycrail.errors import (
    CustomerRejected,
    DatabaseUnavailable,
    Forbidden,
    HttpError,
    IdempotencyConflict,
    IdempotencyInProgress,
    IdempotencyKeyInvalid,
    IdempotentAnswerGone,
    KycProviderMisconfigured,
    KycProviderUnavailable,
    KycrailError,
    MalformedBody,
    NotFound,
    Overloaded,
    PayloadTooLarge,
    RateLimited,
    RequestTimeout,
    Unauthenticated,
    UnsupportedMediaType,
    ValidationFailed,
)


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    status: int
    code: str
    message: str | None = None  # the dialect's own wording, where its vendor documents one


ErrorBody = Callable[[KycrailError, ErrorSpec, str], dict[str, Any]]
# An error class, or a group of them (groups may nest): what an operation can raise.
Raised = type[KycrailError] | Iterable["Raised"]


class ErrorTable:
    """One dialect's answers to errors."""

    def __init__(
        self,
        specs: Mapping[type[KycrailError], ErrorSpec],
        *,
        body: ErrorBody,
        model: type[BaseModel],
        http_code: Callable[[int], str],
    ) -> None:
        self.specs = specs
        self._body = body
        self._model = model
        self._http_code = http_code

    def spec(self, error: KycrailError) -> ErrorSpec:
        if isinstance(error, HttpError):
            return ErrorSpec(error.status, self._http_code(error.status))
        return self.specs[type(error)]

    def render(self, error: KycrailError, request_id: str) -> JSONResponse:
        spec = self.spec(error)
        return JSONResponse(
            self._body(error, spec, request_id), status_code=spec.status, headers=error.headers
        )

    def responses(self, *raised: Raised) -> dict[int | str, Any]:
        """The OpenAPI error responses of an operation that can raise ``raised`` (classes, or groups of
        them): one per status, naming the codes it may carry."""
        codes: dict[int, list[str]] = defaultdict(list)
        for error in _flatten(raised):
            spec = self.specs[error]
            if spec.code not in codes[spec.status]:
                codes[spec.status].append(spec.code)
        return {
            status: {"model": self._model, "description": ", ".join(f"`{code}`" for code in codes[status])}
            for status in sorted(codes)
        }


def _flatten(raised: Iterable[Raised]) -> list[type[KycrailError]]:
    flat: list[type[KycrailError]] = []
    for item in raised:
        if isinstance(item, type):
            flat.append(item)
        else:
            flat.extend(_flatten(item))
    return flat


# What every operation behind an API key can answer, whatever it does: the key, a role without the
# scope, the rate limit, the database gone for a moment, the process at its requests in flight, a
# query parameter it does not take (api/common/routes.py).
KEYED = (Unauthenticated, Forbidden, RateLimited, DatabaseUnavailable, Overloaded, ValidationFailed)
# What an operation that reads a body can answer besides.
WITH_BODY = (ValidationFailed, PayloadTooLarge, UnsupportedMediaType, MalformedBody, RequestTimeout)
# What an Idempotency-Key on a write can answer.
IDEMPOTENT = (IdempotencyKeyInvalid, IdempotencyConflict, IdempotencyInProgress, IdempotentAnswerGone)
# What asking for a verification link can answer (either dialect's route).
VERIFICATION_LINK = (
    KEYED,
    IDEMPOTENT,
    NotFound,
    CustomerRejected,
    KycProviderUnavailable,
    KycProviderMisconfigured,
)


def without_framework_errors(openapi: dict[str, Any]) -> dict[str, Any]:
    """Drop the 422 FastAPI documents on its own for any operation with parameters: its shape is never
    what a dialect answers, and operations that can fail validation declare ``ValidationFailed``."""
    default = "#/components/schemas/HTTPValidationError"
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            schema = responses.get("422", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("$ref") == default:
                del responses["422"]
    schemas = openapi.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    return openapi
