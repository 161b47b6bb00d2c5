"""When a failed delivery is tried again, and what an endpoint's recent results say of it.

The schedule after each failed attempt: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then every 3 h, each
delay stretched or shrunk by up to 20 % at random (jitter: endpoints that failed together do not all
come back at once); a delivery still failing 3 days after it was made is given up (``dead``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

DELAYS = tuple(
    timedelta(seconds=seconds) for seconds in (5, 30, 120, 600, 1800, 3600)
)  # then EVERY, until GIVE_UP_AFTER
EVERY = timedelta(hours=3)
GIVE_UP_AFTER = timedelta(days=3)
JITTER = 0.2
RECENT = 10  # the attempts an endpoint's status is read from
FAILING_RUN = 5  # this many failures in a row, newest first: failing


def delay_after(failed_attempts: int) -> timedelta:
    """The delay before the next attempt, without jitter, once ``failed_attempts`` (>= 1) have failed."""
    return DELAYS[failed_attempts - 1] if failed_attempts <= len(DELAYS) else EVERY


def next_attempt_at(
    failed_attempts: int, created_at: datetime, now: datetime, rng: random.Random | None = None
) -> datetime | None:
    """When to try again; None once the next try would come more than 3 days after ``created_at``."""
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)
    when = now + delay_after(failed_attempts) * factor
    return None if when - created_at > GIVE_UP_AFTER else when


def endpoint_status(recent_ok: Sequence[bool]) -> str:
    """``recent_ok``: the endpoint's latest attempts' outcomes, newest first (at most RECENT)."""
    window = list(recent_ok)[:RECENT]
    if len(window) >= FAILING_RUN and not any(window[:FAILING_RUN]):
        return "failing"
    return "healthy" if all(window) else "degraded"
