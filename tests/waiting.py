"""Waiting in tests without sleeping a fixed time.

A test that needs something to have happened waits for what shows it, with a deadline
(``eventually``; ``eventually_sync`` in blocking code). A test that needs something NOT to happen has no
condition to wait for: ``stays`` checks that a state holds for a short period, and fails as soon as it
changes. The poll interval lives here, and only here.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, overload

T = TypeVar("T")

POLL_SECONDS = 0.02
DEFAULT_SECONDS = 10.0


def _failure(verb: str, seconds: float, describe: Callable[[], object] | None) -> AssertionError:
    detail = f": {describe()}" if describe is not None else ""
    return AssertionError(f"{verb} {seconds:g} s{detail}")


@overload
async def eventually(
    condition: Callable[[], Awaitable[T]],
    seconds: float = DEFAULT_SECONDS,
    *,
    describe: Callable[[], object] | None = None,
) -> T: ...


@overload
async def eventually(
    condition: Callable[[], T],
    seconds: float = DEFAULT_SECONDS,
    *,
    describe: Callable[[], object] | None = None,
) -> T: ...


async def eventually(
    condition: Callable[[], object],
    seconds: float = DEFAULT_SECONDS,
    *,
    describe: Callable[[], object] | None = None,
) -> object:
    """Polls ``condition`` (a function, or a coroutine function) until it gives a truthy value, and
    returns that value. After ``seconds`` it fails, with what ``describe()`` says; an AssertionError
    the condition raises (a process that died, say) fails it at once."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() >= deadline:
            raise _failure("still not so after", seconds, describe)
        await asyncio.sleep(POLL_SECONDS)


def eventually_sync(
    condition: Callable[[], T],
    seconds: float = DEFAULT_SECONDS,
    *,
    describe: Callable[[], object] | None = None,
) -> T:
    """``eventually`` for blocking code (a thread, a test without an event loop): blocks while it polls."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise _failure("still not so after", seconds, describe)
        time.sleep(POLL_SECONDS)


async def stays(
    condition: Callable[[], object], seconds: float, *, describe: Callable[[], object] | None = None
) -> None:
    """Checks that ``condition`` holds from now until ``seconds`` have passed, failing as soon as it does
    not: for what must NOT happen (a duplicate, an early answer), where there is nothing to wait for.
    Keep ``seconds`` as short as the thing that must not happen would take to show."""
    deadline = time.monotonic() + seconds
    while True:
        if not condition():
            raise _failure("changed within", seconds, describe)
        if time.monotonic() >= deadline:
            return
        await asyncio.sleep(POLL_SECONDS)
