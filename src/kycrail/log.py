"""Logging set-up: one line per record, each carrying the request id.

Never log keys, request bodies, tax numbers or documents: only methods, paths, statuses, ids.

A logged value may be a client's (a request's path, an exception's message): the formatter shows its
control characters escaped, so that no value can end its record's line and start a forged one.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar

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


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


_handler: logging.Handler | None = None


def configure_logging(level: str) -> None:
    """Install our handler on the root logger, replacing only the one we installed before."""
    global _handler
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    _handler = logging.StreamHandler()
    _handler.addFilter(_RequestIdFilter())
    _handler.setFormatter(
        OneLineFormatter("%(asctime)s %(levelname)s %(name)s [request_id=%(request_id)s] %(message)s")
    )
    root.addHandler(_handler)
    root.setLevel(level.upper())
    # Alembic narrates every migration step at INFO; one line from us says the database is ready.
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))
    for name in PARAMETER_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
