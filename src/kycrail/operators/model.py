"""What an operator is, and what their console session is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class OperatorRole(StrEnum):
    reviewer = "reviewer"  # works the queue: takes customers, approves, sends back, rejects
    admin = "admin"  # what a reviewer does, and reopens final rejections, and erases


@dataclass(frozen=True, slots=True)
class Operator:
    id: str
    tenant_id: str
    email: str
    role: OperatorRole
    enrolled: bool
    disabled: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A live console session: who, and the hash its row is found by."""

    operator: Operator
    session_hash: str
