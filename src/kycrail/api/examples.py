"""The examples of the operations outside the two dialects: health, reviewers' decisions, SumSub's
webhooks in, the sandbox's share tokens (the dialects' own are in ``api/<dialect>/examples.py``)."""

from __future__ import annotations

from kycrail.api.common.openapi.examples import Example, Examples
from kycrail.api.sphere import examples as sphere
from kycrail.api.swipelux import examples as swipelux

_SENT_BACK = {
    **sphere.UPDATED,
    "verificationProfiles": [
        sphere.profile(
            pending=["liveness_report_document"],
            errors=[{"name": "identity_document", "message": "ID DOCS IS BLURRY"}],
        )
    ],
    "updatedAt": "2026-04-02T10:05:44.000Z",
}

_HIT = {
    "id": "hit_5f0c6a1e9b2d4c7f8a3e1d2c4b5a6978",
    "list": "ofac_sdn",
    "entryId": "36216",
    "listedName": "CARTER, Emily Rose",
    "nameKind": "primary",
    "score": 1.0,
    "nameScore": 1.0,
    "tokens": [
        {"customer": "emily", "listed": "emily", "similarity": 1.0, "how": "same"},
        {"customer": "rose", "listed": "rose", "similarity": 1.0, "how": "same"},
        {"customer": "carter", "listed": "carter", "similarity": 1.0, "how": "same"},
    ],
    "adjustments": [
        {"factor": "birth_date", "delta": 0.05, "reason": "same date of birth 1990-04-12"},
    ],
    "status": "open",
    "reason": None,
    "resolvedBy": None,
    "resolvedAt": None,
    "createdAt": "2026-04-02T10:04:12.000Z",
}

EXAMPLES: Examples = {
    ("GET", "/ops/customers/{customer_id}/screening"): Example(
        response={
            "customerId": sphere.UPDATED["id"],
            "verificationStatus": "pending",
            "openHits": 1,
            "hits": [_HIT],
        }
    ),
    ("POST", "/ops/customers/{customer_id}/screening/{hit_id}"): Example(
        request={"resolution": "false_positive", "reason": "Another person: different date of birth."},
        response={
            **_HIT,
            "status": "false_positive",
            "reason": "Another person: different date of birth.",
            "resolvedBy": "kr_7Qm2",
            "resolvedAt": "2026-04-02T10:09:30.000Z",
        },
    ),
    ("GET", "/healthz"): Example(response={"status": "ok"}),
    ("GET", "/readyz"): Example(response={"status": "ok", "database": "ok"}),
    ("POST", "/ops/customers/{customer_id}/review"): Example(
        request={
            "decision": "rejected",
            "final": False,
            "reasons": [{"criterion": "identity_document", "message": "ID DOCS IS BLURRY"}],
        },
        response=_SENT_BACK,
    ),
    ("POST", "/webhooks/sumsub"): Example(response={"ok": True, "duplicate": False}),
}
# Served by `kycrail serve --sandbox` only.
SANDBOX_EXAMPLES: Examples = {
    ("POST", "/sandbox/share-tokens"): Example(
        request={"applicant": "approved"},
        response={
            "shareToken": swipelux.SHARE_TOKEN,
            "applicant": "approved",
            "ttlInSecs": 600,
        },
    ),
}
