"""One record, one line: a client's value in a logged path, argument or exception message cannot forge
a record of its own (issue 23, item 6). Logging is configured as ``kycrail serve`` configures it
(``configure_logging``, to standard error), and what it writes is read back."""

from __future__ import annotations

import io
import logging
import re
import sys
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from kycrail import log
from kycrail.log import configure_logging

FORGED = "2026-12-07 11:00:00,000 INFO kycrail.access FORGED-LINE"
# The audit's request: its path decodes to "/v2/customer/abc" + "\n" + a line of the access log's shape.
FORGING_PATH = "/v2/customer/abc%0A2026-12-07%2011:00:00,000%20INFO%20kycrail.access%20FORGED-LINE"
# How a record's first line starts: what a reader (or a log shipper) takes for a new record.
RECORD_START = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} ")


def restored_levels() -> Iterator[None]:
    """The levels configure_logging sets on the drivers', httpx's and alembic's loggers, put back after
    the test (a later test may read what httpx logs: tests/sumsub/test_client.py)."""
    names = (*log.PARAMETER_LOGGERS, "alembic")
    saved = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)  # setLevel, which also clears logging's caches


quieted_levels = pytest.fixture(restored_levels, name="quieted_levels")


def logging_to_a_string(monkeypatch: pytest.MonkeyPatch, log_format: str) -> io.StringIO:
    """kycrail's logging configured in ``log_format``, writing to the string returned; the root logger is
    restored afterwards."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(log, "_handler", None)
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)  # where configure_logging's handler writes
    configure_logging("info", log_format)
    return stream


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch, quieted_levels: None) -> io.StringIO:
    """Everything kycrail's logging writes during the test, in the default (text) format."""
    return logging_to_a_string(monkeypatch, "text")


def records(text: str) -> list[list[str]]:
    """The records in ``text``, each as its lines: a record is a line that starts like one, and the
    lines after it that do not."""
    found: list[list[str]] = []
    for line in text.splitlines():
        if RECORD_START.match(line) or not found:
            found.append([line])
        else:
            found[-1].append(line)
    return found


async def test_a_path_carrying_a_newline_is_one_access_log_line(
    client: httpx.AsyncClient, written: io.StringIO
) -> None:
    response = await client.get(FORGING_PATH)
    text = written.getvalue()
    access = [record for record in records(text) if " kycrail.access " in record[0]]
    assert len(access) == 1, text
    assert access[0] == [access[0][0]], text  # one line: the path's newline is shown escaped
    assert f"GET /v2/customer/abc\\n{FORGED} {response.status_code} " in access[0][0]
    assert not any(line.startswith(FORGED) for line in text.splitlines())


async def test_an_exception_message_with_a_newline_stays_inside_its_record(
    app: FastAPI, client: httpx.AsyncClient, written: io.StringIO
) -> None:
    @app.get("/v2/boom-forged")
    async def boom() -> None:
        raise RuntimeError(f"the client sent abc\n{FORGED}\r\nand more")

    assert (await client.get("/v2/boom-forged")).status_code == 500
    text = written.getvalue()
    assert not any(line.startswith(FORGED) for line in text.splitlines())
    errors = [record for record in records(text) if " kycrail.errors " in record[0]]
    assert len(errors) == 1, text
    head, *trace = errors[0]
    assert "unhandled exception in GET /v2/boom-forged" in head
    assert trace[0].lstrip() == "Traceback (most recent call last):"
    assert all(line.startswith(" ") for line in trace)  # each continuation indented
    # The exception's own lines are the traceback's; a carriage return inside one is shown escaped.
    assert [line.strip() for line in trace[-3:]] == [
        "RuntimeError: the client sent abc",
        f"{FORGED}\\r",
        "and more",
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("a\tb", "a\\tb"),
        ("a\x00b\x07c", "a\\x00b\\x07c"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("a\x0bb\x0cc\x1cd\x1de\x1ef", "a\\x0bb\\x0cc\\x1cd\\x1de\\x1ef"),
        ("a\x7fb", "a\\x7fb"),
        ("a\x85b\x9bc", "a\\x85b\\x9bc"),  # C1 controls: NEL, CSI
        ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),  # line and paragraph separators
        ("a\ud800b", "a\\ud800b"),  # a lone surrogate: not writable as UTF-8 as it is
        ("plain ünïcode € and a \\ backslash", "plain ünïcode € and a \\ backslash"),
    ],
)
def test_control_characters_in_a_message_or_its_arguments_are_escaped(
    written: io.StringIO, value: str, shown: str
) -> None:
    logging.getLogger("kycrail.test").warning("argument %s; message " + value.replace("%", "%%"), value)
    line = written.getvalue()
    assert line.endswith("\n")
    assert line.count("\n") == 1
    assert line.rstrip("\n").endswith(f"argument {shown}; message {shown}")
    assert not any(character in line[:-1] for character in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def test_a_record_logged_with_a_stack_keeps_it_indented_under_its_line(written: io.StringIO) -> None:
    logging.getLogger("kycrail.test").warning("where am I", stack_info=True)
    head, *stack = records(written.getvalue())[0]
    assert head.endswith("where am I")
    assert stack[0].lstrip() == "Stack (most recent call last):"
    assert all(line.startswith(" ") for line in stack)
