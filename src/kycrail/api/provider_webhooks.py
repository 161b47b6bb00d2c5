"""``POST /webhooks/sumsub``: SumSub's webhooks in. No API key: SumSub's signature
(``X-Payload-Digest``, under ``KYCRAIL_SUMSUB_WEBHOOK_SECRET``) is the proof, checked before anything
is read or kept. A notification is kept (a redelivery is a duplicate), then applied at once if that
takes less than SumSub's patience; otherwise the worker finishes it. Either way SumSub gets its 200.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from fastapi import APIRouter, Request, Response

from kycrail import errors as e
from kycrail.api.common.dependencies import Resolved
from kycrail.api.common.errors import WITH_BODY
from kycrail.api.common.wire import JSONResponse
from kycrail.api.sphere.errors import ERRORS
from kycrail.applicants import service as applicants
from kycrail.errors import FieldError
from kycrail.sumsub import notifications

router = APIRouter(tags=["Provider webhooks"])
log = logging.getLogger(__name__)
PROVIDER = "sumsub"
# SumSub waits 5 s for an answer; what takes longer is left to the worker.
INLINE_SECONDS = 3.0


@router.post(
    "/webhooks/sumsub",
    summary="SumSub's webhooks (no API key: signed by SumSub)",
    description="Point SumSub's webhook here (`applicantCreated`, `applicantPending`, `applicantReviewed`, "
    "`applicantOnHold`, `applicantReset`, ...). The `X-Payload-Digest` must be the body's HMAC under "
    "`KYCRAIL_SUMSUB_WEBHOOK_SECRET` (`X-Payload-Digest-Alg`: `HMAC_SHA256_HEX`, `HMAC_SHA512_HEX` or "
    "`HMAC_SHA1_HEX`); otherwise 401 and nothing is done. kycrail then reads the applicant from SumSub and "
    "applies its current state to the customer.",
    responses=ERRORS.responses(WITH_BODY, e.ProviderSignatureInvalid),
)
async def sumsub_webhook(request: Request, resources: Resolved) -> Response:
    secret = resources.settings.sumsub_webhook_secret
    if secret is None:
        log.error("a SumSub webhook was refused: KYCRAIL_SUMSUB_WEBHOOK_SECRET is not set")
        raise e.ProviderSignatureInvalid()
    headers = request.headers
    digest = headers.get("x-payload-digest")
    if not digest:  # nothing to check a body against: refused before the body is read
        raise e.ProviderSignatureInvalid()
    body = await request.body()
    signed = notifications.signed_by_sumsub(
        body, digest, headers.get("x-payload-digest-alg"), secret.get_secret_value()
    )
    if not signed:
        raise e.ProviderSignatureInvalid()
    try:
        notification = notifications.parse(body)
    except notifications.BadNotification as bad:  # signed, but no notification kycrail can read: 400
        raise e.MalformedBody(
            f"Not a SumSub notification: {bad}.", errors=(FieldError("", str(bad)),)
        ) from None
    storage, provider = resources.storage, resources.kyc_provider
    kept = await applicants.receive(storage, PROVIDER, body, notification.applicant_id, notification.kind)
    if kept is not None:
        every = timedelta(seconds=resources.settings.sumsub_reconcile_seconds)
        try:
            async with asyncio.timeout(INLINE_SECONDS):
                await applicants.process(storage, provider, kept, every=every)
        except (TimeoutError, e.KycProviderUnavailable, e.KycProviderMisconfigured):
            log.info("a SumSub notification is left to the worker")
    return JSONResponse({"ok": True, "duplicate": kept is None})
