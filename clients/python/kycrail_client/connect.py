"""The generated client (``kycrail_api.AuthenticatedClient``) on a retrying, idempotent transport."""

from __future__ import annotations

import httpx

from kycrail_api import AuthenticatedClient
from kycrail_client.retries import DEFAULT_POLICY, AsyncRetryingTransport, RetryingTransport, RetryPolicy


def connect(
    base_url: str,
    api_key: str,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
) -> AuthenticatedClient:
    """A client for kycrail at ``base_url`` with ``api_key`` (sent as ``Authorization: Bearer``). Use it
    with the generated operations' ``sync``/``sync_detailed``; close it with ``with`` or ``close``-ing
    its httpx client."""
    client = AuthenticatedClient(base_url=base_url, token=api_key, timeout=httpx.Timeout(timeout))
    client.set_httpx_client(
        httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=httpx.Timeout(timeout),
            transport=RetryingTransport(transport, policy),
        )
    )
    return client


def connect_async(
    base_url: str,
    api_key: str,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    timeout: float = 30.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AuthenticatedClient:
    """The same, for the generated operations' ``asyncio``/``asyncio_detailed``."""
    client = AuthenticatedClient(base_url=base_url, token=api_key, timeout=httpx.Timeout(timeout))
    client.set_async_httpx_client(
        httpx.AsyncClient(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=httpx.Timeout(timeout),
            transport=AsyncRetryingTransport(transport, policy),
        )
    )
    return client
