"""The database connections a process lends (``kycrail.driver``): in use, waiting, and the waits.

A lend costs two gauge moves (in use, up and down); only a lend that finds every connection in use is
timed, so the usual case reads no clock.
"""

from __future__ import annotations

import time

from kycrail.metrics.families import Families, current


class Lending:
    """One database's connections lent in this process (its pool holds ``size``)."""

    __slots__ = ("_in_use", "_wait_seconds", "_waiting", "_waits", "lent", "size")

    def __init__(self, size: int, families: Families | None = None) -> None:
        families = families or current()
        self.size = size
        self.lent = 0
        self._in_use = families.pool_in_use
        self._waiting = families.pool_waiting
        self._waits = families.pool_waits
        self._wait_seconds = families.pool_wait_seconds
        families.pool_size.set(size)

    @property
    def exhausted(self) -> bool:
        """Every connection is lent: the next lend waits."""
        return self.lent >= self.size

    def wait_starts(self) -> float:
        self._waiting.inc()
        return time.perf_counter()

    def wait_ends(self, started: float) -> None:
        """A wait is over (a connection came, or the waiter gave up): counted, with its time."""
        self._waiting.dec()
        self._waits.inc()
        self._wait_seconds.inc(time.perf_counter() - started)

    def lends(self) -> None:
        self.lent += 1
        self._in_use.inc()

    def takes_back(self) -> None:
        self.lent -= 1
        self._in_use.dec()
