"""``Idempotency-Key`` on every POST, PUT, PATCH and DELETE: a retried write gets the first answer.

Plain ASGI middleware, inside RequestContextMiddleware (request ids, last-resort 500s). The first
completed response (status, body, a few headers) is kept per tenant and key for 24 hours and replayed
to every retry; a server error (5xx) releases the key, so a retry runs again. The same key with
another request is a 409 ``idempotency_conflict``; a retry racing the first is a 409
``idempotency_request_in_progress`` with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import re

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kycrail.api.common.auth import presented_key
from kycrail.api.common.request_context import ErrorRenderer
from kycrail.db import utc_now
from kycrail.errors import (
    IdempotencyConflict,
    IdempotencyInProgress,
    IdempotencyKeyInvalid,
    KycrailError,
)
from kycrail.idempotency import store
from kycrail.idempotency.store import Claim, StoredResponse
from kycrail.tenants import service as tenants

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, at most 255 characters
_KEPT_HEADERS = ("content-type", "etag", "location", "retry-after")


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big") + part)  # length-prefixed: no ambiguous joins
    return digest.hexdigest()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # then whatever comes next (a disconnect)

    return replay


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, render_error: ErrorRenderer) -> None:
        self.app = app
        self.render_error = render_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get("idempotency-key")
        if key is None:
            await self.app(scope, receive, send)
            return
        try:
            await self._once(scope, receive, send, headers, key)
        except KycrailError as error:
            await self._error(error, scope, receive, send)

    async def _error(self, error: KycrailError, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.render_error(scope["path"], error, scope["state"]["request_id"])
        await response(scope, receive, send)

    async def _once(self, scope: Scope, receive: Receive, send: Send, headers: Headers, key: str) -> None:
        if not _KEY.fullmatch(key):
            raise IdempotencyKeyInvalid()
        resources = scope["app"].state.resources
        engine = resources.engine
        secret = presented_key(headers)
        principal = await tenants.authenticate(engine, secret, resources.key_cache) if secret else None
        if principal is None:
            await self.app(scope, receive, send)  # the route answers 401 in its dialect
            return
        body = await _read_body(receive)
        request_fingerprint = fingerprint(scope["method"], scope["path"], scope["query_string"], body)
        outcome = await store.claim(engine, principal.tenant_id, key, request_fingerprint, utc_now())
        if isinstance(outcome, StoredResponse):
            replayed = Response(
                outcome.body, outcome.status_code, headers={**outcome.headers, REPLAYED_HEADER: "true"}
            )
            await replayed(scope, receive, send)
            return
        if outcome is Claim.mismatch:
            raise IdempotencyConflict()
        if outcome is Claim.running:
            raise IdempotencyInProgress()

        status = 500
        kept: dict[str, str] = {}
        chunks: list[bytes] = []
        completed = False

        async def capture(message: Message) -> None:
            nonlocal status, completed
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers = Headers(raw=message["headers"])
                kept.update(
                    {name: response_headers[name] for name in _KEPT_HEADERS if name in response_headers}
                )
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and status < 500:
                    # Kept before the client has the answer: a retry sent the moment it arrives replays.
                    response = StoredResponse(status, kept, b"".join(chunks))
                    await store.complete(engine, principal.tenant_id, key, response, utc_now())
                    completed = True
            await send(message)

        try:
            await self.app(scope, _replaying(body, receive), capture)
        finally:
            if not completed:
                # A server error, or the request died: free the key so that a retry runs again.
                await store.release(engine, principal.tenant_id, key)
