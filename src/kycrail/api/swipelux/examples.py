"""The examples of the Swipelux dialect's operations in the OpenAPI document: Swipelux's own workflow,
a customer created with ``{}``, then a ``PUT`` carrying a SumSub share token whose completed KYC is
imported in the same call (here the sandbox's approved person).

``tests/api/test_documented_examples.py`` replays the create and the PUT and compares them with what
the app answers.
"""

from __future__ import annotations

from typing import Any

from kycrail.api.common.openapi.examples import Example, Examples
from kycrail.customers.model import CustomerType
from kycrail.customers.verification import profile_criteria_names

CUSTOMER_ID = "customer_2b4b20d7a9b14a369a2e2580546d6aa4"
CREATED_AT = "2026-03-09T20:46:31.305Z"
IMPORTED_AT = "2026-03-09T20:47:02.117Z"
WEBHOOK_ID = "whk_9a9c1de6d82147b3ab74752e2a42ff09"
SHARE_TOKEN = "_act-jwt-eyJhbGciOiJub25lIn0.eyJzdWIiOiJzaGFyZSJ9.sumsub-share-token"  # noqa: S105 (an example)

_ALL_CRITERIA = list(profile_criteria_names(CustomerType.individual))  # a new customer owes them all

CREATED: dict[str, Any] = {
    "id": CUSTOMER_ID,
    "type": "individual",
    "firstName": None,
    "middleName": None,
    "lastName": None,
    "email": None,
    "phone": None,
    "birthDate": None,
    "country": None,
    "residentialAddress": None,
    "legalName": None,
    "website": None,
    "status": "not_started",
    "requirements": {"missing": _ALL_CRITERIA, "pending": [], "errors": []},
    "metadata": {},
    "createdAt": CREATED_AT,
    "updatedAt": CREATED_AT,
    "taxIdType": None,
    "taxIdCountry": None,
    "taxIdDescription": None,
}
IMPORTED: dict[str, Any] = {
    **CREATED,
    "firstName": "Emily",
    "middleName": "Rose",
    "lastName": "Carter",
    "email": "emily.carter@example.com",
    "phone": "+14155550100",
    "birthDate": "1990-04-12",
    "country": "USA",
    "residentialAddress": {
        "streetLine1": "1 Market Street",
        "streetLine2": "Apt 4B",
        "city": "San Francisco",
        "state": "CA",
        "postalCode": "94105",
        "country": "USA",
    },
    "status": "approved",
    "requirements": {"missing": [], "pending": [], "errors": []},
    "updatedAt": IMPORTED_AT,
    "taxIdType": "ssn",  # SumSub's TIN (the number itself is never shown)
    "taxIdCountry": "USA",
}

_WEBHOOK = {
    "id": WEBHOOK_ID,
    "url": "https://example.com/hooks/swipelux",
    "events": ["*"],
    "status": "healthy",
    "createdAt": "2026-03-01T09:00:00.000Z",
}
_DELIVERY = {
    "id": "evt_0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f_verification",
    "event": "customer.verification_changed",
    "state": "delivered",
    "attempts": [
        {
            "attemptedAt": "2026-03-09T20:47:02.503Z",
            "statusCode": 200,
            "durationMs": 41,
            "error": None,
            "responseBody": "ok",
        }
    ],
    "nextAttemptAt": None,
    "createdAt": IMPORTED_AT,
    "deliveredAt": "2026-03-09T20:47:02.544Z",
}
_CREATED_EVENT = {
    "id": 1,
    "type": "customer.created",
    "actor": {"keyPrefix": "kr_Zx81fQpLm", "role": "api"},
    "requestId": "ad06cc07ad3644559183ad98a070e1de",
    "changes": [
        {"field": "type", "from": None, "to": "individual"},
        {"field": "verification_status", "from": None, "to": "incomplete"},
    ],
    "createdAt": CREATED_AT,
}

EXAMPLES: Examples = {
    ("POST", "/v1/customers"): Example(request={}, response=CREATED),
    ("GET", "/v1/customers"): Example(response={"data": [IMPORTED], "total": 1, "limit": 20, "offset": 0}),
    ("GET", "/v1/customers/{customer_id}"): Example(response=IMPORTED),
    ("PUT", "/v1/customers/{customer_id}"): Example(request={"shareToken": SHARE_TOKEN}, response=IMPORTED),
    ("POST", "/v1/customers/{customer_id}/kyc/import"): Example(
        request={"shareToken": SHARE_TOKEN}, response=IMPORTED
    ),
    ("POST", "/v1/customers/{customer_id}/kyc"): Example(
        response={
            "verificationUrl": "https://in.sumsub.com/websdk/p/sbx_SrcV3IZFG3dmjn47rq5eRLg6qzyzxMxN",
            "expiresAt": "2026-03-09T21:17:02.000Z",
        }
    ),
    ("GET", "/v1/customers/{customer_id}/events"): Example(
        response={"data": [_CREATED_EVENT], "total": 2, "limit": 1, "offset": 0}
    ),
    ("POST", "/v1/webhooks"): Example(
        request={"url": "https://example.com/hooks/swipelux", "events": ["*"]},
        response={**_WEBHOOK, "secretKey": "whsec_LntakSIttcPCzvb3u6795TGjmqHOvfjXVZUvkPbSz2w="},
    ),
    ("GET", "/v1/webhooks"): Example(response={"data": [_WEBHOOK], "total": 1}),
    ("GET", "/v1/webhooks/{webhook_id}"): Example(response=_WEBHOOK),
    ("GET", "/v1/webhooks/{webhook_id}/deliveries"): Example(
        response={"data": [_DELIVERY], "total": 1, "limit": 20, "offset": 0}
    ),
}
