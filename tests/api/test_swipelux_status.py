"""Swipelux's one-word status, read off the dialect-neutral verification profile."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kycrail.api.swipelux.status import SwipeluxStatus, swipelux_status
from kycrail.customers.model import (
    Address,
    Customer,
    DocumentStatus,
    DocumentSummary,
    DocumentType,
    Identity,
    Review,
    ReviewDecision,
    ReviewReason,
    TaxIdentification,
)
from tests.factories import customer

T0 = datetime(2026, 3, 1, tzinfo=UTC)
ADDRESS = Address(line1="1 Elm St", city="Austin", state="TX", postal_code="73301", country="USA")
TAX = TaxIdentification(number="123-45-6789", type="ssn", country="USA")


def documents(status: DocumentStatus) -> tuple[DocumentSummary, ...]:
    return tuple(
        DocumentSummary(f"document_{n}", kind, status, T0)
        for n, kind in enumerate((DocumentType.passport, DocumentType.liveness_report))
    )


SUPPLIED: dict[str, object] = {
    "email": "ana@example.com",
    "phone": "+14155550123",
    "address": ADDRESS,
    "identity": Identity(first_name="Ana", tax=TAX),
}


def review(decision: ReviewDecision, final: bool = False) -> Review:
    reasons = (ReviewReason("identity_document", "blurry"),) if decision is ReviewDecision.rejected else ()
    return Review(decision, final, reasons, T0, "kr_reviewer1")


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (customer(), SwipeluxStatus.not_started),
        (customer(email="ana@example.com"), SwipeluxStatus.not_started),  # contact details are not KYC
        (customer(identity=Identity(first_name="Ana")), SwipeluxStatus.incomplete),
        (customer(documents=documents(DocumentStatus.pending)[:1]), SwipeluxStatus.pending_verification),
        (
            customer(**SUPPLIED, documents=documents(DocumentStatus.pending), submitted_at=T0),
            SwipeluxStatus.under_review,
        ),
        (
            customer(
                **SUPPLIED,
                documents=documents(DocumentStatus.accepted),
                submitted_at=T0,
                review=review(ReviewDecision.approved),
            ),
            SwipeluxStatus.approved,
        ),
        (
            customer(
                **SUPPLIED,
                documents=documents(DocumentStatus.pending),
                submitted_at=T0,
                review=review(ReviewDecision.rejected, final=True),
                criterion_errors={"identity_document": "blurry"},
            ),
            SwipeluxStatus.rejected,
        ),
        (
            customer(
                **SUPPLIED,
                documents=documents(DocumentStatus.pending),
                submitted_at=T0,
                review=review(ReviewDecision.rejected),
                criterion_errors={"identity_document": "blurry"},
            ),
            SwipeluxStatus.incomplete,  # sent back, even with documents awaiting review
        ),
    ],
)
def test_status_from_the_profile(subject: Customer, expected: SwipeluxStatus) -> None:
    assert swipelux_status(subject) is expected
