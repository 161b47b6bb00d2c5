"""The headers the pipeline reads and writes, named in the OpenAPI document.

They are handled by middleware (request context, idempotency keys) and by the customer responses, not by
route parameters, so FastAPI cannot see them: this adds them to the built document, once.
"""

from __future__ import annotations

from typing import Any

from kycrail.api.common.middleware.request_context import REQUEST_ID_HEADER

_REQUEST_ID = {
    "name": REQUEST_ID_HEADER,
    "in": "header",
    "required": False,
    "description": "Your id for this request: echoed in the response, in error bodies and in the logs "
    "when it is 1-128 of A-Z a-z 0-9 . _ : -; otherwise (or without one) kycrail makes one.",
    "schema": {"type": "string"},
}
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "1-255 visible ASCII characters. A retry with the same key gets the first answer (kept "
    "24 hours) and writes nothing again; the same key with another request is 409.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
}
_REQUEST_ID_OUT = {
    "description": "The request's id (yours, or one kycrail made).",
    "schema": {"type": "string"},
}
_ETAG_OUT = {
    "description": 'The customer\'s version as an entity tag (e.g. "3"): send it as If-Match on a write, or '
    "If-None-Match on a read.",
    "schema": {"type": "string"},
}
_CUSTOMER_SCHEMAS = ("#/components/schemas/SphereCustomerOut", "#/components/schemas/SwipeluxCustomerOut")


def _answers_a_customer(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref") in _CUSTOMER_SCHEMAS


def _takes_an_idempotency_key(operation: dict[str, Any]) -> bool:
    # The operations that can answer an idempotency error are the ones the key applies to.
    responses = operation.get("responses", {}).values()
    return any("idempotency" in str(response.get("description", "")) for response in responses)


def declare_headers(openapi: dict[str, Any]) -> dict[str, Any]:
    """Add the headers to ``openapi`` (the cached document: adding them twice changes nothing)."""
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.setdefault("parameters", [])
            wanted = (
                [_REQUEST_ID, _IDEMPOTENCY_KEY] if _takes_an_idempotency_key(operation) else [_REQUEST_ID]
            )
            named = {parameter["name"] for parameter in parameters}
            parameters.extend(parameter for parameter in wanted if parameter["name"] not in named)
            for status, response in operation.get("responses", {}).items():
                headers = response.setdefault("headers", {})
                headers[REQUEST_ID_HEADER] = _REQUEST_ID_OUT
                if status.startswith("2") and _answers_a_customer(response):
                    headers["ETag"] = _ETAG_OUT
    return openapi
