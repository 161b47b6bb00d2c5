"""Logging set-up: one line per record, each carrying the request id; as text (for people) or as one
JSON object per line (``KYCRAIL_LOG_FORMAT=json``, for log shippers).

Never log keys, request bodies, tax numbers or documents: only methods, paths, statuses, ids.

A logged value may be a client's (a request's path, an exception's message): both formats show its
control characters escaped, so that no value can end its record's line and start a forged one.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
# Loggers that write personal data or secrets below WARNING: database drivers log statements with
# their parameters; httpx logs every request's URL, share tokens in query strings included.
PARAMETER_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool", "httpx", "httpcore")


# What could end a line, in a terminal, an editor or a log shipper, or rewrite what is shown: the C0
# controls (CR, LF and TAB among them), DEL, the C1 controls (NEL among them), the line and paragraph
# separators (Unicode's Zl and Zp), and lone surrogates, which no stream can write as UTF-8.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Before each line of a traceback or stack: no line of a record starts like a record does.
CONTINUATION_INDENT = "    "


def escaped(text: str) -> str:
    """``text`` on one line: each unsafe character as its Python escape (``\\n``, ``\\x1b``, ``\\u2028``)."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[character]
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


class OneLineFormatter(logging.Formatter):
    """Every record's line is escaped whole (its message, arguments substituted, and every field);
    a traceback or stack keeps its own lines, each escaped and indented under the record's."""

    def format(self, record: logging.LogRecord) -> str:
        record.message = record.getMessage()
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        lines = [escaped(self.formatMessage(record))]
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)  # cached as logging does
        if record.exc_text:
            lines += _continuation(record.exc_text)
        if record.stack_info:
            lines += _continuation(self.formatStack(record.stack_info))
        return "\n".join(lines)


def _continuation(text: str) -> list[str]:
    # Split on newlines only: any other line break inside a line is escaped like the rest.
    return [CONTINUATION_INDENT + escaped(line) for line in text.split("\n")]


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line: ``ts`` (UTC, ISO 8601), ``level``, ``logger``,
    ``request_id``, ``message`` (arguments substituted), and ``exc`` (a traceback) or ``stack`` as one
    string each. Nothing else of the record is written: an ``extra`` attribute never reaches the log.

    Every character outside printable ASCII is written as a JSON escape (``\\n``, ``\\u2028``, a lone
    surrogate's ``\\ud800``), so a line holds one record whatever a value holds, in any encoding."""

    def format(self, record: logging.LogRecord) -> str:
        document = {
            "ts": _utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id_var.get()),
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)  # cached as logging does
        if record.exc_text:
            document["exc"] = record.exc_text
        if record.stack_info:
            document["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes the C0 controls and all past ASCII, but leaves DEL as it is.
        return json.dumps(document, ensure_ascii=True).replace("\x7f", "\\u007f")


def _utc_timestamp(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [request_id=%(request_id)s] %(message)s"


def formatter(log_format: str) -> logging.Formatter:
    """The formatter of ``KYCRAIL_LOG_FORMAT``: ``text`` or ``json``."""
    if log_format == "text":
        return OneLineFormatter(TEXT_FORMAT)
    if log_format == "json":
        return JsonFormatter()
    raise ValueError(f"unknown log format {log_format!r}: text or json")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


_handler: logging.Handler | None = None


def configure_logging(level: str, log_format: str = "text") -> None:
    """Install our handler on the root logger, replacing only the one we installed before;
    ``log_format``: ``text`` (one line per record) or ``json`` (one JSON object per line)."""
    global _handler
    chosen = formatter(log_format)  # an unknown format changes nothing
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    _handler = logging.StreamHandler()
    _handler.addFilter(_RequestIdFilter())
    _handler.setFormatter(chosen)
    root.addHandler(_handler)
    root.setLevel(level.upper())
    # Alembic narrates every migration step at INFO; one line from us says the database is ready.
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))
    for name in PARAMETER_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
