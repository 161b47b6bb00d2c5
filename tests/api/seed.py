"""SpherePay's page for PATCH /v2/customer/{id} (../shared/seeds/spherepay-update-customer.txt): its
request and its response, as given."""

from __future__ import annotations

SEED_REQUEST = {
    "address": {
        "line1": "456 Market Street",
        "city": "San Francisco",
        "state": "CA",
        "postalCode": "94105",
        "country": "USA",
    },
    "meta": {"internalUserId": "usr_9912"},
}
# What differs per run: the customer's id and its times.
SEED_PER_RUN = {
    "id": "customer_f31121c389624d3697cbf3ea8830b7a4",
    "createdAt": "2026-03-09T20:46:31.305Z",
    "updatedAt": "2026-04-01T14:22:10.000Z",
}
# The seed page's response, less what differs per run.
SEED_RESPONSE = {
    "type": "individual",
    "email": "jane.smith@example.com",
    "phone": "+14155550123",
    "firstName": "Jane",
    "lastName": "Smith",
    "verificationProfiles": [
        {
            "name": "kyc_profile_a",
            "status": "incomplete",
            "criteria": {
                "complete": [
                    "email_address",
                    "phone_number",
                    "residential_address",
                    "tax_identification_number",
                ],
                "pending": [],
                "required": ["identity_document", "liveness_report_document"],
                "errors": [],
            },
        }
    ],
    "meta": {"internalUserId": "usr_9912"},
}
