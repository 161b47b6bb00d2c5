"""The examples of the SpherePay dialect's operations in the OpenAPI document (one customer's story).

``PATCH /v2/customer/{customer_id}`` carries SpherePay's own example request, and answers it as kycrail
does: every field of SpherePay's example response, with the same values, and the fields kycrail adds.
The customer is created by the ``POST /v2/customer`` example; ``tests/api/test_documented_examples.py``
replays both and compares them with what the app answers.
"""

from __future__ import annotations

from typing import Any

from kycrail.api.common.openapi.examples import Example, Examples

CUSTOMER_ID = "customer_f31121c389624d3697cbf3ea8830b7a4"  # SpherePay's example id
CREATED_AT = "2026-03-09T20:46:31.305Z"
UPDATED_AT = "2026-04-01T14:22:10.000Z"
KEY_PREFIX = "kr_Zx81fQpLm"
WEBHOOK_ID = "whk_c14038c1bba54c4bb37d2396557195f2"
EVENT_ID = "evt_5b0e2c8f1d3a4e6f9a7b8c9d0e1f2a3b"

_CHICAGO = {
    "line1": "233 South Wacker Drive",
    "line2": "Suite 4700",
    "city": "Chicago",
    "state": "IL",
    "postalCode": "60606",
    "country": "USA",
}
_SAN_FRANCISCO = {
    "line1": "456 Market Street",
    "city": "San Francisco",
    "state": "CA",
    "postalCode": "94105",
    "country": "USA",
}
CREATE_REQUEST = {
    "type": "individual",
    "email": "jane.smith@example.com",
    "phone": "+14155550123",
    "address": _CHICAGO,
    "personalInformation": {
        "firstName": "Jane",
        "lastName": "Smith",
        "dateOfBirth": "1990-05-17",
        "nationality": "USA",
        "taxIdentificationNumber": "123-45-6789",
        "taxIdentificationNumberType": "ssn",
        "taxIdentificationNumberCountry": "USA",
    },
    "meta": {"internalUserId": "usr_9912"},
}
# SpherePay's example request for PATCH /v2/customer/{id}, as its page gives it.
UPDATE_REQUEST = {"address": _SAN_FRANCISCO, "meta": {"internalUserId": "usr_9912"}}


CONTACT_AND_TAX = ["email_address", "phone_number", "residential_address", "tax_identification_number"]


def profile(
    *,
    status: str = "incomplete",
    pending: list[str] | None = None,
    required: list[str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Jane's ``kyc_profile_a``: her contact details, address and tax number complete, and the rest."""
    return {
        "name": "kyc_profile_a",
        "status": status,
        "criteria": {
            "complete": CONTACT_AND_TAX,
            "pending": pending or [],
            "required": required or [],
            "errors": errors or [],
        },
    }


def _customer(address: dict[str, str], updated_at: str) -> dict[str, Any]:
    return {
        "id": CUSTOMER_ID,
        "type": "individual",
        "email": "jane.smith@example.com",
        "phone": "+14155550123",
        "firstName": "Jane",
        "lastName": "Smith",
        "verificationProfiles": [profile(required=["identity_document", "liveness_report_document"])],
        "meta": {"internalUserId": "usr_9912"},
        "createdAt": CREATED_AT,
        "updatedAt": updated_at,
        "address": {"line1": address["line1"], "line2": address.get("line2"), **address},
        "dateOfBirth": "1990-05-17",
        "personalInformation": {
            "firstName": "Jane",
            "middleName": None,
            "lastName": "Smith",
            "dateOfBirth": "1990-05-17",
            "gender": None,
            "nationality": "USA",
            "countryOfBirth": None,
            "residencyCountry": None,
            "occupationSocCode": None,
            "sourceOfFunds": None,
            "taxIdentificationNumberType": "ssn",
            "taxIdentificationNumberCountry": "USA",
            "taxIdentificationNumberDescription": None,
        },
    }


CREATED = _customer(_CHICAGO, CREATED_AT)
UPDATED = _customer(_SAN_FRANCISCO, UPDATED_AT)

_PAGINATION = {"page": 1, "limit": 10, "total": 1, "totalPages": 1, "hasNext": False, "hasPrevious": False}


def _change(field: str, before: str | None, after: str | None) -> dict[str, str | None]:
    return {"field": field, "from": before, "to": after}


_EVENTS = {
    "events": [
        {
            "id": 1,
            "type": "customer.created",
            "actor": {"keyPrefix": KEY_PREFIX, "role": "api"},
            "requestId": "39e9244cddcf47409e52c812f1ec47b3",
            "changes": [
                *(
                    _change(field, None, "***")
                    for field in (
                        "address.city",
                        "address.country",
                        "address.line1",
                        "address.line2",
                        "address.postal_code",
                        "address.state",
                        "email",
                        "identity.date_of_birth",
                        "identity.first_name",
                        "identity.last_name",
                        "identity.nationality",
                        "identity.tax.country",
                        "identity.tax.number",
                        "identity.tax.type",
                        "meta.*",
                        "phone",
                    )
                ),
                _change("type", None, "individual"),
                _change("verification_status", None, "incomplete"),
            ],
            "createdAt": CREATED_AT,
        },
        {
            "id": 2,
            "type": "customer.updated",
            "actor": {"keyPrefix": KEY_PREFIX, "role": "api"},
            "requestId": "eb9d69551e5541e0ad91bfbfd65bedd3",
            "changes": [
                _change("address.city", "***", "***"),
                _change("address.line1", "***", "***"),
                _change("address.line2", "***", None),
                _change("address.postal_code", "***", "***"),
                _change("address.state", "***", "***"),
            ],
            "createdAt": UPDATED_AT,
        },
    ],
    "pagination": {**_PAGINATION, "total": 2},
}

_WEBHOOK = {
    "id": WEBHOOK_ID,
    "name": "Customer updates",
    "url": "https://example.com/hooks/sphere",
    "events": ["*"],
    "status": "healthy",
    "createdAt": "2026-03-01T09:00:00.000Z",
}

_DELIVERY = {
    "id": EVENT_ID,
    "event": "customer.update",
    "state": "pending",
    "attempts": [
        {
            "attemptedAt": "2026-04-01T14:22:10.412Z",
            "statusCode": 503,
            "durationMs": 87,
            "error": None,
            "responseBody": "Service Unavailable",
        }
    ],
    "nextAttemptAt": "2026-04-01T14:22:15.412Z",
    "createdAt": UPDATED_AT,
    "deliveredAt": None,
}

_DOCUMENT = {
    "id": "document_1ee7f242a7864ceca285fb628accc6e5",
    "target": "customer",
    "targetId": CUSTOMER_ID,
    "documentType": "passport",
    "country": "USA",
    "contentType": "image/png",
    "size": 482113,
    "status": "pending",
    "source": "upload",
    "createdAt": "2026-04-01T14:25:02.118Z",
}

EXAMPLES: Examples = {
    ("POST", "/v2/customer"): Example(request=CREATE_REQUEST, response=CREATED),
    ("GET", "/v2/customer"): Example(response={"customers": [UPDATED], "pagination": _PAGINATION}),
    ("GET", "/v2/customer/{customer_id}"): Example(response=UPDATED),
    ("PATCH", "/v2/customer/{customer_id}"): Example(request=UPDATE_REQUEST, response=UPDATED),
    ("GET", "/v2/customer/{customer_id}/events"): Example(response=_EVENTS),
    ("POST", "/v2/customer/{customer_id}/kyc-link"): Example(
        response={
            "url": "https://in.sumsub.com/websdk/p/sbx_qBaOystKdA1WBFAl6oqMW8DfMYu_Kvrp",
            "expiresAt": "2026-04-01T14:52:10.000Z",
        }
    ),
    ("POST", "/v2/document"): Example(
        request={
            "target": "customer",
            "targetId": CUSTOMER_ID,
            "documentType": "passport",
            "country": "USA",
            "file": "(the file: JPEG, PNG, WEBP or PDF)",
        },
        response=_DOCUMENT,
    ),
    ("GET", "/v2/document"): Example(
        response={
            "documents": [{**_DOCUMENT, "status": "accepted"}],
            "pagination": {**_PAGINATION, "total": 1},
        }
    ),
    ("GET", "/v2/document/{document_id}"): Example(response={**_DOCUMENT, "status": "accepted"}),
    ("POST", "/v2/webhook"): Example(
        request={"name": "Customer updates", "url": "https://example.com/hooks/sphere", "events": ["*"]},
        response={**_WEBHOOK, "secret": "whsec_pRcYmDNVV/pYANIA11VgOocRe9nRE4cX7jxBC68ziEc="},
    ),
    ("GET", "/v2/webhook"): Example(response={"webhooks": [_WEBHOOK]}),
    ("GET", "/v2/webhook/{webhook_id}"): Example(response=_WEBHOOK),
    ("GET", "/v2/webhook/{webhook_id}/deliveries"): Example(
        response={"deliveries": [_DELIVERY], "pagination": {**_PAGINATION, "total": 1}}
    ),
    ("GET", "/v2/event/{event_id}"): Example(
        response={"id": EVENT_ID, "name": "customer.update", "createdAt": UPDATED_AT, "data": UPDATED}
    ),
}
