"""The examples of the operations outside the two dialects: health, reviewers' decisions, SumSub's
webhooks in, the sandbox's share tokens (the dialects' own are in ``api/<dialect>/examples.py``)."""

from __future__ import annotations

from kycrail.api.common.documented_examples import Example, Examples
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

EXAMPLES: Examples = {
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
