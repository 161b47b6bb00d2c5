"""The OpenAPI document names the headers every client meets: Idempotency-Key, If-Match, X-Request-Id,
ETag."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def _operation(app: FastAPI, path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = app.openapi()["paths"][path][method]
    return operation


def _parameters(operation: dict[str, Any]) -> set[str]:
    """Header parameters, lower-case (header names are case-insensitive)."""
    return {p["name"].lower() for p in operation.get("parameters", []) if p["in"] == "header"}


def test_a_write_documents_its_request_and_response_headers(app: FastAPI) -> None:
    for path, method in (("/v2/customer/{customer_id}", "patch"), ("/v1/customers/{customer_id}", "put")):
        operation = _operation(app, path, method)
        assert {"idempotency-key", "if-match", "x-request-id"} <= _parameters(operation)
        assert {"ETag", "X-Request-Id"} <= set(operation["responses"]["200"]["headers"])


def test_every_operation_documents_the_request_id(app: FastAPI) -> None:
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            assert "x-request-id" in _parameters(operation), (method, path)
            for status, response in operation["responses"].items():
                assert "X-Request-Id" in response.get("headers", {}), (method, path, status)


def test_reads_document_the_etag_and_only_writes_take_an_idempotency_key(app: FastAPI) -> None:
    read = _operation(app, "/v2/customer/{customer_id}", "get")
    assert "ETag" in read["responses"]["200"]["headers"]
    assert "idempotency-key" not in _parameters(read)
    assert "idempotency-key" in _parameters(_operation(app, "/v1/customers", "post"))


def test_the_document_is_the_same_however_often_it_is_asked_for(app: FastAPI) -> None:
    first = app.openapi()
    assert app.openapi() == first
    parameters = _operation(app, "/v2/customer/{customer_id}", "patch")["parameters"]
    assert len(parameters) == len({(p["name"], p["in"]) for p in parameters})
