"""Calls to a KYC provider, by operation and outcome: each attempt, as the provider sees it (a GET
tried three times is three calls). The provider's client names its operations and its outcomes (``ok``,
or the kind of error: ``unavailable``, ``not_found``...), from fixed sets."""

from __future__ import annotations

from prometheus_client import Counter

from kycrail.metrics.families import Families, current

OK = "ok"


class ProviderCalls:
    __slots__ = ("_calls", "_provider", "_series")

    def __init__(self, provider: str, families: Families | None = None) -> None:
        self._provider = provider
        self._calls = (families or current()).provider_calls
        self._series: dict[tuple[str, str], Counter] = {}

    def count(self, operation: str, outcome: str) -> None:
        series = self._series.get((operation, outcome))
        if series is None:
            series = self._series[operation, outcome] = self._calls.labels(self._provider, operation, outcome)
        series.inc()
