"""What every part of the emulator writes as SumSub does: JSON objects, and times in SumSub's format."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

JsonObject = dict[str, Any]


def sumsub_time(moment: float) -> str:
    """SumSub's ``createdAt`` style: UTC, to the second, no zone suffix."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M:%S")


def sumsub_time_ms(moment: float) -> str:
    """The webhooks' ``createdAtMs``: UTC, to the millisecond, no zone suffix."""
    at = datetime.fromtimestamp(moment, UTC)
    return at.strftime("%Y-%m-%d %H:%M:%S.") + f"{at.microsecond // 1000:03d}"
