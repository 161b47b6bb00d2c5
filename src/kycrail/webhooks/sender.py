"""One delivery attempt over HTTP: the URL's form checked again, one POST, no redirect followed, at
most 1 KB of the answer kept, the whole attempt bounded by its timeout. A failure is named by its kind,
never by its message, which may quote what the receiver sent.

The client is aiohttp's: a webhook worker spends most of its time in the HTTP client, and aiohttp's
costs about a tenth of httpx's CPU per request (bench/README.md, "Webhooks"). Its resolver is ours:
every connection's host is looked up once, its addresses judged (``urls.addresses_to_connect``),
and the connection opened to exactly those; there is no second lookup a rebinding DNS server could
answer differently. TLS still checks the certificate against the host's name.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import ssl
import time

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from kycrail import __version__
from kycrail.db import utc_now
from kycrail.webhooks import urls
from kycrail.webhooks.deliveries import EXCERPT_BYTES, Attempt
from kycrail.webhooks.urls import UrlPolicy

USER_AGENT = f"kycrail-webhooks/{__version__}"


class _CheckedResolver(AbstractResolver):
    """Names resolve only to addresses ``policy`` allows (aiohttp judges no address literal here:
    ``urls.checked_shape`` does, before each send)."""

    def __init__(self, policy: UrlPolicy) -> None:
        self.policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(hostname=host, host=address, port=port, family=found, proto=0, flags=0)
            for found, address in await urls.addresses_to_connect(host, port, self.policy)
        ]

    async def close(self) -> None:
        pass


def new_client(policy: UrlPolicy, *, connections: int = 100) -> aiohttp.ClientSession:
    """The session every delivery goes through: no proxy from the environment, no cookies, and
    connections only to addresses ``policy`` allows."""
    connector = aiohttp.TCPConnector(
        resolver=_CheckedResolver(policy), limit=connections, use_dns_cache=False
    )
    return aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
        headers={"user-agent": USER_AGENT},
    )


async def send(
    client: aiohttp.ClientSession,
    url: str,
    policy: UrlPolicy,
    headers: dict[str, str],
    body: bytes,
    seconds: float,
) -> Attempt:
    started_at, started = utc_now(), time.monotonic()

    def attempt(status_code: int | None, error: str | None, excerpt: bytes = b"") -> Attempt:
        duration_ms = int((time.monotonic() - started) * 1000)
        text = excerpt[:EXCERPT_BYTES].decode("utf-8", "replace")
        return Attempt(started_at, status_code, duration_ms, error, text)

    try:
        urls.checked_shape(url, policy)
        async with (
            asyncio.timeout(seconds),  # the whole attempt, however slowly the answer trickles in
            client.post(url, data=body, headers=headers, allow_redirects=False) as response,
        ):
            excerpt = b""
            while len(excerpt) < EXCERPT_BYTES:  # the rest is not read: a huge answer costs nothing
                chunk = await response.content.read(EXCERPT_BYTES - len(excerpt))
                if not chunk:
                    break
                excerpt += chunk
            return attempt(response.status, None, excerpt)
    except urls.UnsafeUrl as refused:
        return attempt(None, f"not sent, the URL was refused: {refused}")
    except TimeoutError:
        return attempt(None, f"no answer within {seconds:g} s")
    except (aiohttp.ClientError, OSError) as failed:
        return attempt(None, failure_kind(failed))


def failure_kind(failed: aiohttp.ClientError | OSError) -> str:
    """What went wrong, in kycrail's words: the error is kept in plaintext, so never its message,
    which may quote what the receiver sent (a malformed status line or header, a certificate's names)."""
    if isinstance(failed, aiohttp.ClientResponseError):
        return f"the answer is not valid HTTP ({type(failed).__name__})"
    cause = failed.os_error if isinstance(failed, aiohttp.ClientConnectorError) else failed
    code = None
    # The system's error code (ECONNREFUSED, ...); TLS errors number their own way: the name says it.
    if isinstance(cause, OSError) and not isinstance(cause, ssl.SSLError):
        code = errno.errorcode.get(cause.errno or 0)
    return f"{type(failed).__name__} ({code})" if code else type(failed).__name__
