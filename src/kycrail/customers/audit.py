"""What a write changed, as field paths, with personal values masked. Pure: no I/O.

An audit trail must say who changed what without becoming a second copy of everyone's personal
data: values are shown only for fields that describe the verification process itself.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any

from kycrail.customers.model import Customer
from kycrail.customers.verification import verification_profile

MASK = "***"
META_PATH = "meta.*"
# Paths whose values are not personal data: the verification process, not the person.
_SHOWN_PREFIXES = (
    "type",
    "verification_status",
    "submitted_at",
    "deleted_at",
    "documents.",
    "review.",
    "sumsub.review_answer",
    "sumsub.level_name",
    "open_hits",  # hit ids: what the screening found is named by them, never by a person's name
)


class EventKind(StrEnum):
    created = "customer.created"
    updated = "customer.updated"
    kyc_imported = "customer.kyc_imported"
    document_added = "customer.document_added"
    reviewed = "customer.reviewed"
    reopened = "customer.reopened"
    verification_started = "customer.verification_started"  # a provider's applicant opened by a link
    provider_updated = "customer.provider_updated"  # the provider's applicant, read after its webhook
    screening_hit = "customer.screening_hit"  # a sanctions screening raised hits: a reviewer must look
    screening_cleared = "customer.screening_cleared"  # a reviewer found a hit a false positive
    deleted = "customer.deleted"
    erased = "customer.erased"
    # What changes nothing of the customer but is on the record (the console's people):
    document_viewed = "document.viewed"  # a person opened a document's file in the console
    document_read = "document.read"  # a key read a document's file through the API
    document_fetched = "document.fetched"  # a file of a document the provider verified, now held here
    review_proposed = "review.proposed"  # four eyes: a decision awaits a second operator
    review_withdrawn = "review.withdrawn"  # ...and was withdrawn instead


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One entry of a customer's audit trail: who did what, in which request, and what it changed."""

    id: int  # assigned by the database; 0 before it is stored
    customer_id: str
    kind: str
    key_prefix: str
    role: str
    request_id: str
    changes: list[dict[str, Any]]  # see ``changes``
    occurred_at: datetime
    operator_id: str | None = None  # a person's decision in the console (key_prefix is then "console")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a write: the key's tenant, prefix and role, and the request it came in; for a person
    signed in to the console, the operator (the prefix is then ``console``, the role theirs)."""

    tenant_id: str
    key_prefix: str
    role: str
    request_id: str
    operator_id: str | None = None


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _flatten(value: Any, prefix: str, into: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), into)
    else:
        into[prefix] = _plain(value)


# Field names per class, () for classes that are not dataclasses: ``fields()`` on every value of
# every write was most of an audit diff's cost.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in fields(cls)) if is_dataclass(cls) else ()
    return names


def _tree(value: Any) -> Any:
    """Dataclasses as dicts, without the deep copies ``dataclasses.asdict`` makes (a hot path)."""
    names = _field_names(type(value))
    if names:
        return {name: _tree(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [_tree(item) for item in value]
    if isinstance(value, dict):
        return {key: _tree(item) for key, item in value.items()}
    return value


_NOISE = ("id", "tenant_id", "created_at", "updated_at", "version")
_COMPARED = tuple(name for name in _field_names(Customer) if name not in _NOISE)


def _differing(before: Customer | None, after: Customer) -> tuple[str, ...]:
    """The customer's fields that differ: an update rebuilds only what it changes (``replace``), so
    most are the very same objects, and only these need flattening."""
    if before is None:
        return _COMPARED
    return tuple(
        name
        for name in _COMPARED
        if (old := getattr(before, name)) is not (new := getattr(after, name)) and old != new
    )


def _facts(customer: Customer | None, names: tuple[str, ...]) -> dict[str, Any]:
    """The customer's ``names`` fields as flat paths (equal fields give equal paths on both sides)."""
    if customer is None:
        return {}
    data = {name: _tree(getattr(customer, name)) for name in names}
    if "documents" in data:  # by id, so an added document is one new path rather than a shifted list
        data["documents"] = {document.pop("id"): document for document in data["documents"]}
    if "review" in data:
        data["review"] = data["review"] and {
            **data["review"],
            "reasons": [r["criterion"] for r in data["review"]["reasons"]],
        }
    if "open_hits" in data:  # one path, its value the ids (none: no path, as for every empty field)
        data["open_hits"] = tuple(data["open_hits"]) or None
    # Meta keys are the client's own words (an email, a name): no path carries one. One path says
    # that meta changed, and its value stands for the whole object.
    if "meta" in data:
        meta = data.pop("meta")
        data[META_PATH] = tuple(sorted((str(k), repr(v)) for k, v in meta.items())) if meta else None
    flat: dict[str, Any] = {}
    _flatten(data, "", flat)
    flat["verification_status"] = verification_profile(customer).status.value
    return {path: value for path, value in flat.items() if value not in (None, {}, ())}


def _shown(path: str) -> bool:
    return path.startswith(_SHOWN_PREFIXES)


def changes(before: Customer | None, after: Customer) -> list[dict[str, Any]]:
    """``[{"field", "from", "to"}]`` per changed path, sorted; personal values replaced by ``***``."""
    names = _differing(before, after)
    old, new = _facts(before, names), _facts(after, names)
    return [
        _change(path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    ]


def _change(path: str, old: Any, new: Any) -> dict[str, Any]:
    """One changed path as listed: its values, or ``***`` for a personal one."""
    if _shown(path):
        return {"field": path, "from": old, "to": new}
    return {"field": path, "from": MASK if old is not None else None, "to": MASK if new is not None else None}
