"""Token buckets per name (an API key, a client address), in this process: the rate limits' memory."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class _TokenBucket:
    __slots__ = ("tokens", "updated")

    def __init__(self, tokens: float, updated: float) -> None:
        self.tokens = tokens
        self.updated = updated


class TokenBuckets:
    """A token bucket per name; the least recently seen names are forgotten first past ``MAX_TRACKED``."""

    MAX_TRACKED = 10_000

    def __init__(self, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self.burst = burst
        self.clock = clock
        self.buckets: OrderedDict[str, _TokenBucket] = OrderedDict()

    def wait_seconds(self, name: str) -> float:
        """0 when a request may go now (and takes a token), else how long until it may."""
        now = self.clock()
        bucket = self.buckets.pop(name, None) or _TokenBucket(float(self.burst), now)
        self.buckets[name] = bucket
        if len(self.buckets) > self.MAX_TRACKED:
            self.buckets.popitem(last=False)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.per_second
