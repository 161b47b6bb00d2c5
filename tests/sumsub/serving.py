"""The SumSub emulator over real HTTP for the node and browser tests: uvicorn on 127.0.0.1 in a
thread, and requests signed as SumSub's clients sign them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from kycrail.sumsub.emulator import Emulator, webhooks
from kycrail.sumsub.signing import signed_headers
from tests.api.receiver import Received
from tests.processes import free_port
from tests.waiting import eventually_sync


def verified_events(received: Iterable[Received], secret: str) -> list[dict[str, Any]]:
    """The webhooks a receiver got, in order, each one's X-Payload-Digest checked under ``secret``."""
    events = []
    for one in received:
        assert one.headers["x-payload-digest"] == webhooks.digest(secret, one.body, "HMAC_SHA256_HEX")
        events.append(json.loads(one.body))
    return events


@contextmanager
def serving(emulator: Emulator) -> Iterator[str]:
    """Yields the emulator's base URL while uvicorn serves it from a thread of its own."""
    port = free_port()
    config = uvicorn.Config(
        emulator, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    def started() -> bool:
        assert thread.is_alive(), "uvicorn stopped before it started"
        return server.started

    eventually_sync(started, 15, describe=lambda: "uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def signed(
    base_url: str, app_token: str, secret: str, method: str, target: str, body: bytes = b""
) -> httpx.Response:
    """One request signed over exactly what is sent."""
    headers = signed_headers(app_token, secret, method, target, body, int(time.time()))
    if body:
        headers["Content-Type"] = "application/json"
    return httpx.request(method, base_url + target, content=body, headers=headers, timeout=10)
