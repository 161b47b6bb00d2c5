"""``/sandbox/sumsub/...`` under ``serve --sandbox``: the in-process SumSub emulator reachable from a
browser, so that a verification link opens its WebSDK page (a person's form, a reviewer's buttons) and
the whole lifecycle runs offline. Requests are handed to the emulator with this prefix taken off."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

PREFIX = "/sandbox/sumsub"


def pages(emulator: Callable[[], ASGIApp]) -> ASGIApp:
    """``emulator``: the running emulator (made by the app's lifespan, after the routes)."""

    async def forward(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        raw: bytes = scope.get("raw_path") or path.encode()
        inner = {
            **scope,
            "path": path.removeprefix(PREFIX) or "/",
            "raw_path": raw.removeprefix(PREFIX.encode()) or b"/",
            "root_path": "",
        }
        await emulator()(inner, receive, send)

    return forward


def public_url(host: str, port: int) -> str:
    """Where a browser on this machine reaches the pages (a wildcard address is not one to browse)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 (compared, not bound)
    return f"http://{shown}:{port}{PREFIX}"
