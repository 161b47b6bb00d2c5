"""The retry schedule and the endpoint status: pure functions (issue 13, item 3)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from kycrail.webhooks.schedule import GIVE_UP_AFTER, delay_after, endpoint_status, next_attempt_at

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def test_the_documented_delays_then_every_three_hours() -> None:
    assert [delay_after(n).total_seconds() for n in range(1, 9)] == [
        5, 30, 120, 600, 1800, 3600, 10800, 10800,
    ]  # fmt: skip


def test_jitter_stays_within_twenty_percent_and_varies() -> None:
    rng = random.Random(7)  # noqa: S311 (a seeded test)
    delays = {(next_attempt_at(1, T0, T0, rng) or T0) - T0 for _ in range(50)}
    assert len(delays) > 10
    assert all(timedelta(seconds=4) <= delay <= timedelta(seconds=6) for delay in delays)


def test_given_up_three_days_after_creation() -> None:
    rng = random.Random(1)  # noqa: S311 (a seeded test)
    assert next_attempt_at(20, T0, T0 + GIVE_UP_AFTER - timedelta(hours=4), rng) is not None
    assert next_attempt_at(20, T0, T0 + GIVE_UP_AFTER - timedelta(hours=1), rng) is None


def test_retrying_for_three_days_takes_about_two_dozen_attempts() -> None:
    rng, now, attempts = random.Random(3), T0, 0  # noqa: S311 (a seeded test)
    while True:
        attempts += 1
        later = next_attempt_at(attempts, T0, now, rng)
        if later is None:
            break
        now = later
    assert 25 <= attempts <= 30
    assert GIVE_UP_AFTER - timedelta(hours=4) < now - T0 <= GIVE_UP_AFTER


@pytest.mark.parametrize(
    ("newest_first", "status"),
    [
        ([], "healthy"),
        ([True] * 10, "healthy"),
        ([False, True, True], "degraded"),
        ([True] + [False] * 9, "degraded"),
        ([False] * 4, "degraded"),
        ([False] * 5 + [True] * 5, "failing"),
        ([True] * 10 + [False] * 5, "healthy"),  # older than the last 10: forgotten
    ],
)
def test_status_from_the_last_ten_attempts(newest_first: list[bool], status: str) -> None:
    assert endpoint_status(newest_first) == status
