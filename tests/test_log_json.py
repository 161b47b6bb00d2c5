"""``KYCRAIL_LOG_FORMAT=json``: one JSON object per line, with the request id in every record, and the
same guarantee as the text format (issue 24, item 8): no value can end its record's line."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sys
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kycrail import log, serving
from kycrail.log import JsonFormatter, configure_logging
from tests import canary_logs
from tests.test_log import FORGED, FORGING_PATH, logging_to_a_string, restored_levels

quieted_levels = pytest.fixture(restored_levels, name="quieted_levels")


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch, quieted_levels: None) -> io.StringIO:
    """Everything kycrail's logging writes in the JSON format."""
    return logging_to_a_string(monkeypatch, "json")


def documents(text: str) -> list[dict[str, Any]]:
    """Each line as the JSON object it must be (a line that is not one fails the test)."""
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


async def test_every_line_is_one_object_with_the_request_id_of_its_request(
    client: httpx.AsyncClient, written: io.StringIO
) -> None:
    response = await client.get("/healthz", headers={"X-Request-Id": "req-json-1"})
    access = [line for line in documents(written.getvalue()) if line["logger"] == "kycrail.access"]
    assert len(access) == 1
    (line,) = access
    assert set(line) == {"ts", "level", "logger", "request_id", "message"}
    assert line["request_id"] == "req-json-1" == response.headers["x-request-id"]
    assert line["level"] == "INFO"
    assert line["message"].startswith("GET /healthz 200 ")
    assert line["ts"].endswith("Z")  # UTC, ISO 8601
    assert "T" in line["ts"]


async def test_outside_a_request_the_request_id_is_a_dash(written: io.StringIO) -> None:
    logging.getLogger("kycrail.test").warning("no request here")
    (line,) = documents(written.getvalue())
    assert line["request_id"] == "-"
    assert line["message"] == "no request here"


async def test_a_path_carrying_a_newline_stays_inside_its_one_line(
    client: httpx.AsyncClient, written: io.StringIO
) -> None:
    await client.get(FORGING_PATH)
    text = written.getvalue()
    assert not any(line.startswith(FORGED) for line in text.splitlines())
    (access,) = [line for line in documents(text) if line["logger"] == "kycrail.access"]
    assert f"/v2/customer/abc\n{FORGED}" in access["message"]  # the value itself, once decoded


async def test_a_traceback_is_one_string_in_its_record(
    app: FastAPI, client: httpx.AsyncClient, written: io.StringIO
) -> None:
    @app.get("/v2/boom-json")
    async def boom() -> None:
        raise RuntimeError(f"the client sent abc\n{FORGED}")

    assert (await client.get("/v2/boom-json", headers={"X-Request-Id": "req-boom"})).status_code == 500
    text = written.getvalue()
    (error,) = [line for line in documents(text) if line["logger"] == "kycrail.errors"]
    assert error["level"] == "ERROR"
    assert error["request_id"] == "req-boom"
    assert error["message"] == "unhandled exception in GET /v2/boom-json"
    assert error["exc"].startswith("Traceback (most recent call last):")
    assert error["exc"].endswith(f"RuntimeError: the client sent abc\n{FORGED}")
    assert not any(line.startswith(FORGED) for line in text.splitlines())


@pytest.mark.parametrize(
    "value",
    [
        "a\nb",
        "a\r\nb",
        "a\x00b\x07c\x1b[31m",
        "a\x7fb",
        "a\x85b\x9bc",  # C1 controls: NEL, CSI
        "a\u2028b\u2029c",  # line and paragraph separators
        "a\ud800b",  # a lone surrogate: not writable as UTF-8 as it is
        'quote " and \\ backslash, ünïcode €',
    ],
)
def test_no_character_of_a_value_is_written_raw_when_it_could_break_or_forge_a_line(
    written: io.StringIO, value: str
) -> None:
    logging.getLogger("kycrail.test").warning("argument %s", value)
    text = written.getvalue()
    assert text.count("\n") == 1
    assert text.isascii()  # every character past ASCII, and every control, is escaped
    assert "\x7f" not in text
    (line,) = documents(text)
    assert line["message"] == f"argument {value}"


def test_a_stack_is_one_string_too(written: io.StringIO) -> None:
    logging.getLogger("kycrail.test").warning("where am I", stack_info=True)
    (line,) = documents(written.getvalue())
    assert line["stack"].startswith("Stack (most recent call last):")


def test_an_unknown_format_is_refused(monkeypatch: pytest.MonkeyPatch, quieted_levels: None) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(log, "_handler", None)
    with pytest.raises(ValueError, match="xml"):
        configure_logging("info", "xml")


def test_the_text_format_is_still_the_default(written: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    configure_logging("info")
    logging.getLogger("kycrail.test").warning("plain")
    assert stream.getvalue().rstrip("\n").endswith("WARNING kycrail.test [request_id=-] plain")


def test_the_canary_check_reads_what_the_json_format_writes() -> None:
    """The canary plugin (tests/canary_logs.py) looks at each record as both formats write it."""
    record = logging.LogRecord("kycrail.test", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    written = canary_logs._texts(record)
    as_json = [json.loads(text) for text in written if text.startswith("{")]
    assert [document["message"] for document in as_json] == ["hello world"]
    assert JsonFormatter in {type(formatter) for formatter in canary_logs.FORMATTERS}


def test_granian_writes_its_own_records_in_the_chosen_format() -> None:
    assert serving.granian_logging("text") is None
    config = serving.granian_logging("json")
    assert config is not None
    for _ in ("main process", "each worker"):  # granian configures each with the same dict
        configurator = logging.config.DictConfigurator({"version": 1})
        built = [
            configurator.configure_formatter(config["formatters"][name]) for name in ("generic", "access")
        ]
        assert all(isinstance(formatter, JsonFormatter) for formatter in built)
