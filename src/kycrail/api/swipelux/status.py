"""Swipelux's customer ``status``, read off the dialect-neutral verification profile.

Swipelux has one status where Sphere has a profile: its lifecycle is a view of the same facts, and
this dialect owns it.
"""

from __future__ import annotations

from enum import StrEnum

from kycrail.customers.model import Customer
from kycrail.customers.verification import ProfileStatus, verification_profile


class SwipeluxStatus(StrEnum):
    not_started = "not_started"
    incomplete = "incomplete"
    pending_verification = "pending_verification"
    under_review = "under_review"
    approved = "approved"
    rejected = "rejected"


def _nothing_supplied(customer: Customer) -> bool:
    identity = customer.identity
    return (
        customer.address is None
        and not customer.documents
        and customer.submitted_at is None
        and customer.review is None
        and identity.first_name is None
        and identity.last_name is None
        and identity.date_of_birth is None
        and identity.tax is None
    )


def swipelux_status(customer: Customer) -> SwipeluxStatus:
    """Swipelux's lifecycle read off the same profile as Sphere's status.

    not_started: created, no KYC data yet. pending_verification: verification started (documents on file
    await review) but something is still missing. under_review: everything supplied, the review runs.
    incomplete: something missing and nothing awaiting review, or a reviewer sent criteria back.
    """
    profile = verification_profile(customer)
    if profile.status is ProfileStatus.approved:
        return SwipeluxStatus.approved
    if profile.status is ProfileStatus.rejected:
        return SwipeluxStatus.rejected
    if profile.status is ProfileStatus.pending:
        return SwipeluxStatus.under_review
    if profile.criteria.errors:
        return SwipeluxStatus.incomplete
    if profile.criteria.pending:
        return SwipeluxStatus.pending_verification
    return SwipeluxStatus.not_started if _nothing_supplied(customer) else SwipeluxStatus.incomplete
