"""SumSub's error shape."""

from __future__ import annotations

import json
import re

from kycrail.sumsub.emulator.errors import SERVICE_EXCEPTION, Failure, invalid_share_token


def test_a_plain_failure_has_description_code_and_a_correlation_id() -> None:
    response = Failure(404, "Not found").response()
    body = json.loads(response.body)
    assert response.status_code == 404
    assert set(body) == {"description", "code", "correlationId"}
    assert (body["description"], body["code"]) == ("Not found", 404)
    assert re.fullmatch(r"[0-9a-f]{32}", body["correlationId"])
    assert json.loads(Failure(404, "Not found").response().body)["correlationId"] != body["correlationId"]


def test_error_codes_and_service_exceptions_are_added_when_given() -> None:
    body = json.loads(
        Failure(400, "Refused", error_code=10507, error_name="name", service_exception=True).response().body
    )
    assert (body["errorCode"], body["errorName"], body["type"]) == (10507, "name", SERVICE_EXCEPTION)
    invalid = json.loads(invalid_share_token().response().body)
    assert (invalid["code"], invalid["errorCode"], invalid["errorName"]) == (
        400,
        10503,
        "invalid-share-token",
    )
    assert "type" not in invalid
