"""Responses are serialised by orjson, and say exactly what the standard encoder would."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.responses import JSONResponse as StandardJSONResponse

from kycrail.api.common.wire import JSONResponse


@pytest.mark.parametrize(
    "content",
    [
        {"id": "customer_1", "meta": {"tier": "gold", "score": 1.5, "flag": True, "none": None}},
        {"firstName": "Zoë", "city": "Zürich", "emoji": "✓"},
        {"meta": {"big": 2**70, "negative": -(2**80)}},  # beyond orjson's 64 bits: the fallback
        [1, 2.25, "three", {"nested": [None, False]}],
    ],
)
def test_the_body_parses_to_the_same_value_as_the_standard_encoders(content: Any) -> None:
    ours = JSONResponse(content).body
    assert json.loads(ours) == content
    assert json.loads(ours) == json.loads(StandardJSONResponse(content).body)
    assert b" " not in ours  # compact: no separators with spaces


def test_the_body_is_utf8_not_escaped() -> None:
    assert JSONResponse({"name": "Zoë"}).body == '{"name":"Zoë"}'.encode()
