"""``Idempotency-Key`` on every POST, PUT, PATCH and DELETE: a retried write gets the first answer.

Plain ASGI middleware, inside RequestContextMiddleware (request ids, last-resort 500s). The first
completed response (status, body, a few headers) is kept per tenant and key for 24 hours and replayed
to every retry. A write's answer is kept in the write's own transaction (``keep_within``, called by
the route as it renders the answer): a crash cannot fall between the two. It holds personal data, so
it is sealed under its customer's data key and replayed only while the customer is live (after a
delete, a retry is told the customer is gone). An answer no write kept (a refusal, a webhook's
creation with its secret) is kept here, on its own, sealed under a key only the same request derives.
A server error (5xx) releases the key, so a retry runs again; a request whose body never fully arrived
is not run and does not use the key up. The same key with
another request (method, path, query, or body as a JSON value) is a 409 ``idempotency_conflict``; a
retry racing the first is a 409 ``idempotency_request_in_progress`` with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass

import orjson
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kycrail.api.common.middleware.auth import principal_of
from kycrail.api.common.middleware.request_context import ErrorRenderer
from kycrail.api.common.resources import Resources
from kycrail.customers import service as customers
from kycrail.db import utc_now
from kycrail.driver.base import Connection
from kycrail.errors import (
    IdempotencyConflict,
    IdempotencyInProgress,
    IdempotencyKeyInvalid,
    KycrailError,
)
from kycrail.idempotency import store
from kycrail.idempotency.store import Claim, StoredResponse
from kycrail.storage import Storage
from kycrail.vault.envelope import DataKey, context

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, at most 255 characters
_KEPT_HEADERS = ("content-type", "etag", "location", "retry-after")


def fingerprint(
    method: str, path: str, query: bytes, body: bytes, key: bytes | None = None, *, purpose: bytes = b""
) -> str:
    """What makes two requests the same request. A JSON body counts by its value: key order and
    white space do not matter. Keyed (HMAC-SHA256) as kycrail stores it: a plain hash of a small body
    (one email) could be tested against guesses by whoever reads the table."""
    digest = hmac.new(key, purpose, hashlib.sha256) if key is not None else hashlib.sha256()
    for part in (method.encode(), path.encode(), query, _canonical(body)):
        digest.update(len(part).to_bytes(8, "big") + part)  # length-prefixed: no ambiguous joins
    return digest.hexdigest()


def _request_key(request: tuple[str, str, bytes, bytes], key: bytes) -> DataKey:
    """An answer no write kept names no customer to seal it under, yet may quote the request (a
    refusal's pointer naming a meta key) or hold a secret (a webhook's): it is sealed under a key
    derived from the request itself, which only a retry, the same request, brings back."""
    return DataKey(bytes.fromhex(fingerprint(*request, key=key, purpose=b"kycrail answer key\x00")))


def _canonical(body: bytes) -> bytes:
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body  # not JSON (a multipart upload, or malformed): its bytes
    return b"json:" + orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


async def _read_body(receive: Receive) -> bytes | None:
    """The whole body, or None when the client went away before sending all of it."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


@dataclass(slots=True)
class HeldKey:
    """The key this request holds (in the request's scope state), and whether its answer is kept."""

    tenant_id: str
    key: str
    kept: bool = False


_STATE_KEY = "idempotency_key"


def stored_response(
    status_code: int, headers: Headers, body: bytes, customer_id: str | None = None
) -> StoredResponse:
    return StoredResponse(
        status_code, {name: headers[name] for name in _KEPT_HEADERS if name in headers}, body, customer_id
    )


def _field(key: str) -> str:
    return f"idempotency_keys.{key}.response_body"


async def keep_within(
    connection: Connection, scope: Scope, response: Response, storage: Storage, customer_id: str | None
) -> None:
    """Under an Idempotency-Key, keep this write's answer in the write's own transaction; an answer
    about a customer (``customer_id``) is sealed under that customer's data key."""
    held: HeldKey | None = scope.get("state", {}).get(_STATE_KEY)
    if held is None or response.status_code >= 500:
        return
    body = bytes(response.body)
    if customer_id is not None:
        body = await customers.seal_for(
            connection, storage, held.tenant_id, customer_id, _field(held.key), body
        )
    stored = stored_response(response.status_code, Headers(raw=response.raw_headers), body, customer_id)
    await store.complete_within(connection, held.tenant_id, held.key, stored, utc_now())
    held.kept = True


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
    """Runs after ``AuthenticationMiddleware``: keys belong to the caller's tenant."""

    def __init__(self, app: ASGIApp, render_error: ErrorRenderer, resources: Callable[[], Resources]) -> None:
        self.app = app
        self.render_error = render_error
        self.resources = resources

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
            await self._once(scope, receive, send, key)
        except KycrailError as error:
            await self._error(error, scope, receive, send)

    async def _error(self, error: KycrailError, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.render_error(scope["path"], error, scope["state"]["request_id"])
        await response(scope, receive, send)

    async def _once(self, scope: Scope, receive: Receive, send: Send, key: str) -> None:
        if not _KEY.fullmatch(key):
            raise IdempotencyKeyInvalid()
        engine = self.resources().engine
        principal = principal_of(scope)
        if principal is None:
            await self.app(scope, receive, send)  # the route answers 401 in its dialect
            return
        body = await _read_body(receive)
        if body is None:
            return  # the client is gone mid-body: nothing to run, nobody to answer, the key stays free
        request = (scope["method"], scope["path"], scope["query_string"], body)
        fingerprint_key = self.resources().storage.vault.blind_index.fingerprint_key
        keyed = fingerprint(*request, key=fingerprint_key)
        # A key first used before fingerprints were keyed (migration 0007) still matches, for its 24 hours.
        outcome = await store.claim(
            engine, principal.tenant_id, key, (keyed, fingerprint(*request)), utc_now()
        )
        if isinstance(outcome, StoredResponse):
            body = outcome.body
            if outcome.customer_id is not None:
                storage = self.resources().storage
                body = await customers.open_for(
                    storage, principal.tenant_id, outcome.customer_id, _field(key), body
                )
            elif body:
                body = _request_key(request, fingerprint_key).open(
                    body, context(principal.tenant_id, _field(key))
                )
            replayed = Response(
                body, outcome.status_code, headers={**outcome.headers, REPLAYED_HEADER: "true"}
            )
            await replayed(scope, receive, send)
            return
        if outcome is Claim.mismatch:
            raise IdempotencyConflict()
        if outcome is Claim.running:
            raise IdempotencyInProgress()

        held = scope["state"][_STATE_KEY] = HeldKey(principal.tenant_id, key)
        status = 500
        response_headers = Headers()
        chunks: list[bytes] = []
        finished = False  # the key holds this request's answer

        async def capture(message: Message) -> None:
            nonlocal status, response_headers, finished
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers = Headers(raw=message["headers"])
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and status < 500:
                    if not held.kept:
                        # Kept before the client has the answer: a retry sent the moment it arrives replays.
                        sealed = _request_key(request, fingerprint_key).seal(
                            b"".join(chunks), context(principal.tenant_id, _field(key))
                        )
                        response = stored_response(status, response_headers, sealed)
                        await store.complete(engine, principal.tenant_id, key, response, utc_now())
                    finished = True
            await send(message)

        try:
            await self.app(scope, _replaying(body, receive), capture)
        finally:
            if not finished:
                # A server error, or the request died: free the key so that a retry runs again.
                await store.release(engine, principal.tenant_id, key)
