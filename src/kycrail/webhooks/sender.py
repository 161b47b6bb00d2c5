"""One delivery attempt over HTTP: the URL checked again (its host may resolve elsewhere now), one
POST, no redirect followed, at most 1 KB of the answer kept."""

from __future__ import annotations

import time

import httpx

from kycrail.db import utc_now
from kycrail.webhooks import urls
from kycrail.webhooks.deliveries import EXCERPT_BYTES, Attempt
from kycrail.webhooks.urls import UrlPolicy


async def send(
    client: httpx.AsyncClient,
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
        await urls.check(url, policy)
    except urls.UnsafeUrl as refused:
        return attempt(None, f"not sent: the URL {refused}")
    try:
        async with client.stream(
            "POST", url, content=body, headers=headers, timeout=seconds, follow_redirects=False
        ) as response:
            excerpt = b""
            async for chunk in response.aiter_bytes():
                excerpt += chunk
                if len(excerpt) >= EXCERPT_BYTES:
                    break  # the rest is not read: a huge answer costs nothing
            return attempt(response.status_code, None, excerpt)
    except httpx.TimeoutException:
        return attempt(None, f"no answer within {seconds:g} s")
    except httpx.HTTPError as failed:
        return attempt(None, f"{type(failed).__name__}: {failed}"[:200])
