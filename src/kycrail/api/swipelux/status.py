"""Swipelux's customer ``status``: the verification stage (customers/verification.py) in Swipelux's
words. Swipelux has one status where Sphere has a profile: its lifecycle is a view of the same facts,
and this dialect owns the words.

not_started: created, no KYC data yet. pending_verification: verification started (documents on file
await review) but something is still missing. under_review: everything supplied, the review runs.
incomplete: something missing and nothing awaiting review, or a reviewer sent criteria back.
"""

from __future__ import annotations

from enum import StrEnum

from kycrail.customers.model import Customer
from kycrail.customers.verification import Stage, verification_stage


class SwipeluxStatus(StrEnum):
    not_started = "not_started"
    incomplete = "incomplete"
    pending_verification = "pending_verification"
    under_review = "under_review"
    approved = "approved"
    rejected = "rejected"


STAGE_OF: dict[SwipeluxStatus, Stage] = {
    SwipeluxStatus.not_started: Stage.not_started,
    SwipeluxStatus.incomplete: Stage.incomplete,
    SwipeluxStatus.pending_verification: Stage.awaiting_review,
    SwipeluxStatus.under_review: Stage.in_review,
    SwipeluxStatus.approved: Stage.approved,
    SwipeluxStatus.rejected: Stage.rejected,
}
_STATUS_OF = {stage: status for status, stage in STAGE_OF.items()}
assert set(_STATUS_OF) == set(Stage), "every stage has its Swipelux word"


def swipelux_status(customer: Customer) -> SwipeluxStatus:
    return _STATUS_OF[verification_stage(customer)]
