"""Failure injection for tests and benchmarks: latency, 5xx answers, bodies that are not JSON; and how
long webhook retries wait."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from starlette.responses import Response

from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.wire import JsonObject


@dataclass
class Knobs:
    """Counters apply to the next N requests (the knobs endpoint excepted)."""

    latency_seconds: float = 0.0
    fail_with_5xx: int = 0
    malformed_bodies: int = 0
    # Multiplies SumSub's webhook retry delays (5 min, 1 h, 5 h, 18 h): 0.001 retries within a minute.
    webhook_delay_scale: float = 1.0

    def update(self, fields: JsonObject) -> JsonObject:
        """Sets the knobs ``fields`` names (validated, unknown names ignored); answers all of them."""
        for name in ("latency_seconds", "fail_with_5xx", "malformed_bodies", "webhook_delay_scale"):
            if name not in fields:
                continue
            value = fields[name]
            wanted = float if name in ("latency_seconds", "webhook_delay_scale") else int
            if isinstance(value, bool) or not isinstance(value, wanted | int) or value < 0:
                raise Failure(400, f"{name} must be a non-negative {wanted.__name__}")
            setattr(self, name, wanted(value))
        return asdict(self)


class Outages:
    """The answers the knobs put in place of a request's own."""

    def __init__(self, knobs: Knobs) -> None:
        self._knobs = knobs
        self._served = 0

    def next_answer(self) -> Response | None:
        """An outage's answer, counted down, or None to process the request. A request answered here is
        not processed: an import failed this way has not used its token."""
        if self._knobs.fail_with_5xx > 0:
            self._knobs.fail_with_5xx -= 1
            self._served += 1
            status = 503 if self._served % 2 else 500
            return Failure(status, "Service temporarily unavailable").response()
        if self._knobs.malformed_bodies > 0:
            self._knobs.malformed_bodies -= 1
            return Response(b"<html><body>502 upstream garbled</body></html>", media_type="text/html")
        return None
