"""Outermost middleware: request id, access log, and the last word on unexpected exceptions.

It is plain ASGI (not BaseHTTPMiddleware) so it adds no task per request, and it sits inside
Starlette's ServerErrorMiddleware so that a 500 still carries the request id and the dialect's shape.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kycrail.errors import DatabaseUnavailable, InternalError, KycrailError
from kycrail.log import request_id_var

REQUEST_ID_HEADER = "X-Request-Id"
# A client's id is kept only when it is short and plain, so it cannot forge log lines or headers.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

access_log = logging.getLogger("kycrail.access")
error_log = logging.getLogger("kycrail.errors")

ErrorRenderer = Callable[[str, KycrailError, str], Response]


def request_id_from(headers: Headers) -> str:
    candidate = headers.get(REQUEST_ID_HEADER)
    if candidate and _SANE_REQUEST_ID.fullmatch(candidate):
        return candidate
    return uuid.uuid4().hex


def _as_client_error(exc: Exception) -> KycrailError:
    # A broken database connection is retryable: SQLAlchemy has already discarded the pool's
    # connections, so the retry gets a fresh one (there is no ping before each checkout).
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return DatabaseUnavailable()
    return InternalError()


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, render_error: ErrorRenderer) -> None:
        self.app = app
        self.render_error = render_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = request_id_from(Headers(scope=scope))
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_request_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception as exc:
            error_log.exception("unhandled exception in %s %s", scope["method"], scope["path"])
            if response_started:
                raise  # too late for a clean answer; the server closes the connection
            response = self.render_error(scope["path"], _as_client_error(exc), request_id)
            await response(scope, receive, send_with_request_id)
        finally:
            # Path only: query strings may carry personal data (an email filter, say). The path is the
            # client's, decoded: kycrail.log's formatter escapes its control characters (one line).
            elapsed_ms = (time.perf_counter() - started) * 1000
            access_log.info("%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed_ms)
            request_id_var.reset(token)
