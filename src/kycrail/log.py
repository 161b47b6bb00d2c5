"""Logging set-up: one line per record, each carrying the request id.

Never log keys, request bodies, tax numbers or documents: only methods, paths, statuses, ids.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
# Loggers that write personal data or secrets below WARNING: database drivers log statements with
# their parameters; httpx logs every request's URL, share tokens in query strings included.
PARAMETER_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool", "httpx", "httpcore")


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
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [request_id=%(request_id)s] %(message)s")
    )
    root.addHandler(_handler)
    root.setLevel(level.upper())
    # Alembic narrates every migration step at INFO; one line from us says the database is ready.
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))
    for name in PARAMETER_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
