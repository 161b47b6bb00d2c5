"""The suite's waiting helpers (tests/waiting.py): a wait ends when its condition holds, a deadline fails
it, and a state that must hold fails as soon as it does not."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.waiting import eventually, eventually_sync, stays


async def test_eventually_returns_the_conditions_value_once_it_holds() -> None:
    seen: list[int] = []
    asyncio.get_running_loop().call_later(0.05, seen.append, 7)
    assert await eventually(lambda: seen) == [7]


async def test_eventually_awaits_a_coroutine_condition() -> None:
    calls: list[None] = []

    async def third_call() -> bool:
        calls.append(None)
        return len(calls) >= 3

    assert await eventually(third_call) is True
    assert len(calls) == 3


async def test_eventually_fails_at_its_deadline_saying_what_it_saw() -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"still not so after 0\.1 s: nothing yet"):
        await eventually(lambda: False, 0.1, describe=lambda: "nothing yet")
    assert 0.1 <= time.monotonic() - started < 5


async def test_an_assertion_in_the_condition_fails_eventually_at_once() -> None:
    def dead() -> bool:
        raise AssertionError("the process exited")

    started = time.monotonic()
    with pytest.raises(AssertionError, match="the process exited"):
        await eventually(dead, 30)
    assert time.monotonic() - started < 5


def test_eventually_sync_polls_blocking_and_fails_at_its_deadline() -> None:
    ready_at = time.monotonic() + 0.05
    assert eventually_sync(lambda: time.monotonic() >= ready_at, 10) is True
    with pytest.raises(AssertionError, match=r"still not so after 0\.05 s: 3"):
        eventually_sync(lambda: 0, 0.05, describe=lambda: 3)


async def test_stays_passes_when_nothing_changes_and_fails_as_soon_as_something_does() -> None:
    await stays(lambda: True, 0.05)
    changed: list[None] = []
    asyncio.get_running_loop().call_later(0.05, changed.append, None)
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"changed within 30 s: \[None\]"):
        await stays(lambda: not changed, 30, describe=lambda: changed)
    assert time.monotonic() - started < 5
