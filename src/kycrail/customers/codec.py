"""The customer's personal data as one JSON document (the plaintext that is sealed), and back. Pure.

What queries filter or order on (type, status, timestamps, version) lives in plain columns of its own;
everything that says who the customer is lives in this document, which is only ever stored sealed.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import orjson

from kycrail.customers.model import (
    Address,
    BusinessInformation,
    Customer,
    CustomerType,
    DocumentStatus,
    DocumentSummary,
    DocumentType,
    Identity,
    Review,
    ReviewDecision,
    ReviewReason,
    SumsubLink,
    TaxIdentification,
)

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _shallow(value: Any) -> dict[str, Any]:
    """A flat dataclass as a dict: ``dataclasses.asdict`` deep-copies, and was most of a write's
    encoding time."""
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in fields(cls))
    return {name: getattr(value, name) for name in names}


def _address_to_json(address: Address | None) -> dict[str, Any] | None:
    return _shallow(address) if address else None


def _address_from_json(data: dict[str, Any] | None) -> Address | None:
    return Address(**data) if data else None


def _identity_to_json(identity: Identity) -> dict[str, Any]:
    data = _shallow(identity)
    data["tax"] = _shallow(identity.tax) if identity.tax else None
    data["date_of_birth"] = identity.date_of_birth.isoformat() if identity.date_of_birth else None
    return data


def _identity_from_json(data: dict[str, Any]) -> Identity:
    dob = data.get("date_of_birth")
    tax = data.get("tax")
    return Identity(
        **{
            **data,
            "date_of_birth": date.fromisoformat(dob) if dob else None,
            "tax": TaxIdentification(**tax) if tax else None,
        }
    )


def _documents_to_json(documents: tuple[DocumentSummary, ...]) -> list[dict[str, Any]]:
    return [
        {"id": d.id, "type": d.type.value, "status": d.status.value, "created_at": d.created_at.isoformat()}
        for d in documents
    ]


def _documents_from_json(data: list[dict[str, Any]]) -> tuple[DocumentSummary, ...]:
    return tuple(
        DocumentSummary(
            id=d["id"],
            type=DocumentType(d["type"]),
            status=DocumentStatus(d["status"]),
            created_at=datetime.fromisoformat(d["created_at"]),
        )
        for d in data
    )


def _review_to_json(review: Review | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "decision": review.decision.value,
        "final": review.final,
        "reasons": [_shallow(reason) for reason in review.reasons],
        "reviewed_at": review.reviewed_at.isoformat(),
        "reviewer": review.reviewer,
    }


def _review_from_json(data: dict[str, Any] | None) -> Review | None:
    if data is None:
        return None
    return Review(
        decision=ReviewDecision(data["decision"]),
        final=data["final"],
        reasons=tuple(ReviewReason(**reason) for reason in data["reasons"]),
        reviewed_at=datetime.fromisoformat(data["reviewed_at"]),
        reviewer=data["reviewer"],
    )


def _sumsub_to_json(link: SumsubLink | None) -> dict[str, Any] | None:
    if link is None:
        return None
    imported_at = link.imported_at.isoformat() if link.imported_at is not None else None
    return {**_shallow(link), "imported_at": imported_at}


def _sumsub_from_json(data: dict[str, Any] | None) -> SumsubLink | None:
    if data is None:
        return None
    imported_at = datetime.fromisoformat(data["imported_at"]) if data["imported_at"] else None
    return SumsubLink(**{**data, "imported_at": imported_at})


def _personal(customer: Customer) -> dict[str, Any]:
    return {
        "email": customer.email,
        "phone": customer.phone,
        "identity": _identity_to_json(customer.identity),
        "address": _address_to_json(customer.address),
        "operating_address": _address_to_json(customer.operating_address),
        "business": _shallow(customer.business) if customer.business else None,
        "meta": customer.meta,
        "documents": _documents_to_json(customer.documents),
        "criterion_errors": customer.criterion_errors,
        "review": _review_to_json(customer.review),
        "sumsub": _sumsub_to_json(customer.sumsub),
        "open_hits": list(customer.open_hits),
    }


def personal_document(customer: Customer) -> bytes:
    """Everything about the customer that is not a plain column, as JSON."""
    return orjson.dumps(_personal(customer))


def _customer(plain: Any, data: dict[str, Any]) -> Customer:
    """A customer from its plain fields (a row, or a namespace) and its personal data."""
    return Customer(
        id=plain.id,
        tenant_id=plain.tenant_id,
        type=CustomerType(plain.type),
        email=data["email"],
        phone=data["phone"],
        identity=_identity_from_json(data["identity"]),
        address=_address_from_json(data["address"]),
        operating_address=_address_from_json(data["operating_address"]),
        business=BusinessInformation(**data["business"]) if data["business"] else None,
        meta=data["meta"],
        documents=_documents_from_json(data["documents"]),
        criterion_errors=data["criterion_errors"],
        review=_review_from_json(data["review"]),
        sumsub=_sumsub_from_json(data["sumsub"]),
        open_hits=tuple(data.get("open_hits", ())),  # absent: stored before screening
        submitted_at=plain.submitted_at,
        created_at=plain.created_at,
        updated_at=plain.updated_at,
        deleted_at=plain.deleted_at,
        version=plain.version,
    )


def customer_from(columns: Any, document: bytes) -> Customer:
    """A customer from its plain columns (a row) and its opened personal document."""
    return _customer(columns, orjson.loads(document))


_PLAIN_TIMES = ("submitted_at", "created_at", "updated_at", "deleted_at")


def snapshot(customer: Customer) -> bytes:
    """The whole customer as JSON: what a write made of it, kept (sealed) for its outgoing event."""
    plain = {
        "id": customer.id,
        "tenant_id": customer.tenant_id,
        "type": customer.type.value,
        "version": customer.version,
        **{name: getattr(customer, name) and getattr(customer, name).isoformat() for name in _PLAIN_TIMES},
    }
    return orjson.dumps({"plain": plain, "personal": _personal(customer)})


def customer_from_snapshot(data: bytes) -> Customer:
    document = orjson.loads(data)
    plain = dict(document["plain"])
    for name in _PLAIN_TIMES:
        plain[name] = plain[name] and datetime.fromisoformat(plain[name])
    return _customer(SimpleNamespace(**plain), document["personal"])
