"""Request ids, dialect error shapes, a 500 that leaks nothing, and logs without secrets."""

import logging
import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kycrail.app import create_app
from kycrail.config import load_settings
from kycrail.log import PARAMETER_LOGGERS, configure_logging
from kycrail.vault.keyring import create_key_file

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


async def test_a_sane_client_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-Id": "req-42.abc:XYZ_1"})
    assert response.headers["x-request-id"] == "req-42.abc:XYZ_1"


@pytest.mark.parametrize("candidate", ["", "has space", "x" * 129, "semi;colon", "ünïcode", "a\tb"])
async def test_an_insane_request_id_is_replaced(client: httpx.AsyncClient, candidate: str) -> None:
    response = await client.get("/healthz", headers={"X-Request-Id": candidate.encode()})
    assert HEX_ID.fullmatch(response.headers["x-request-id"])


async def test_every_response_has_a_fresh_request_id(client: httpx.AsyncClient) -> None:
    ids = {(await client.get("/healthz")).headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5
    assert all(HEX_ID.fullmatch(value) for value in ids)


async def test_the_error_body_carries_the_request_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/customer", headers={"X-Request-Id": "trace-1"})
    assert response.json()["correlationId"] == "trace-1"
    response = await client.get("/v1/customers", headers={"X-Request-Id": "trace-2"})
    assert response.json()["requestId"] == "trace-2"


async def test_unknown_paths_and_methods_answer_in_the_dialect(client: httpx.AsyncClient) -> None:
    sphere = await client.get("/v2/nothing-here")
    assert sphere.status_code == 404
    assert sphere.json()["code"] == "resource/not-found"
    swipelux = await client.get("/v1/nothing-here")
    assert swipelux.status_code == 404
    assert swipelux.json()["code"] == "not_found"
    not_allowed = await client.delete("/healthz")
    assert not_allowed.status_code == 405
    assert not_allowed.json()["code"] == "method/not-allowed"
    assert "GET" in not_allowed.headers["allow"]


async def test_bad_query_parameters_are_named(client: httpx.AsyncClient, api_key: str) -> None:
    response = await client.get("/v2/customer?limit=1000&page=0", headers={"X-API-Key": api_key})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation/failed"
    assert {error["parameter"] for error in body["errors"]} == {"limit", "page"}
    response = await client.get("/v1/customers?offset=-1", headers={"X-API-Key": api_key})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert response.json()["errors"][0]["parameter"] == "offset"


SECRET_MARKER = "kr_SECRET_IN_EXCEPTION_MESSAGE"


@pytest.mark.parametrize(
    ("path", "request_id_field"), [("/v2/boom", "correlationId"), ("/v1/boom", "requestId")]
)
async def test_an_unexpected_exception_is_a_500_that_leaks_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    path: str,
    request_id_field: str,
) -> None:
    @app.get(path)
    async def boom() -> None:
        raise RuntimeError(f"database password is hunter2, key {SECRET_MARKER}")

    with caplog.at_level(logging.ERROR, logger="kycrail.errors"):
        response = await client.get(path, headers={"X-Request-Id": "boom-1"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "boom-1"
    assert response.json()[request_id_field] == "boom-1"
    assert "hunter2" not in response.text
    assert SECRET_MARKER not in response.text
    assert "RuntimeError" not in response.text
    # The operator still gets the trace, tied to the request id.
    records = [record for record in caplog.records if record.name == "kycrail.errors"]
    assert records
    assert records[0].exc_info is not None
    assert records[0].exc_info[0] is RuntimeError


async def test_logs_hold_neither_keys_nor_bodies(
    app: FastAPI, client: httpx.AsyncClient, api_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    @app.post("/v2/echo-length")
    async def echo_length(payload: dict[str, str]) -> dict[str, int]:
        return {"length": len(payload)}

    with caplog.at_level(logging.DEBUG):
        await client.get("/v2/customer?page=1", headers={"Authorization": f"Bearer {api_key}"})
        await client.get("/v1/customers?email=jane%40example.com", headers={"X-API-Key": api_key})
        await client.post(
            "/v2/echo-length", json={"taxIdentificationNumber": "123-45-6789"}, headers={"X-API-Key": api_key}
        )
    # The server's records: not the test client's own (httpx) nor the drivers' that
    # configure_logging keeps at WARNING (see test_drivers_never_log_parameters).
    text = "\n".join(
        f"{record.name} {record.getMessage()}"
        for record in caplog.records
        if not record.name.startswith(PARAMETER_LOGGERS)
    )
    assert "GET /v2/customer 200" in text  # the access log is there...
    assert api_key not in text
    assert api_key[12:] not in text
    assert "123-45-6789" not in text  # the body,
    assert "jane" not in text  # or the query string.


async def test_readiness_reports_an_unreachable_database(tmp_path: Path) -> None:
    # Nothing listens on port 1: the connection is refused at once.
    key_file = tmp_path / "kycrail.keys"
    create_key_file(key_file)
    settings = load_settings(database_url="postgresql://nobody@127.0.0.1:1/none", key_file=key_file)
    unreachable = create_app(settings)
    async with unreachable.router.lifespan_context(unreachable):
        transport = httpx.ASGITransport(app=unreachable)
        async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as client:
            ready = await client.get("/readyz")
            alive = await client.get("/healthz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unreachable"}
    assert alive.status_code == 200


def test_drivers_never_log_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # restored after the test
    monkeypatch.setattr(root, "level", root.level)
    configure_logging("debug")
    assert root.isEnabledFor(logging.DEBUG)
    for name in PARAMETER_LOGGERS:
        assert not logging.getLogger(name).isEnabledFor(logging.INFO)
