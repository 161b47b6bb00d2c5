"""`kycrail serve --sandbox`: the SumSub emulator in-process, and a client wired to it.

``SandboxSumsubClient`` holds the calls kycrail never makes in production: minting a share token is the
donor's side (kycrail is the recipient), ``testCompleted`` exists only in SumSub's sandbox, and its
verdict is read back with ``/status`` (production reads the review with the applicant).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from kycrail.config import Settings
from kycrail.sumsub.applicant import ApplicantReview
from kycrail.sumsub.client import SumsubClient, applicant_path, body_reader
from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.emulator.levels import DEFAULT_KYB_LEVEL

SANDBOX_CLIENT_ID = "kycrail-sandbox"
# Not network addresses: requests go through ASGI transports to the in-process emulator, and from it
# to the kycrail app.
_IN_PROCESS_URL = "http://sumsub.sandbox.invalid"
_IN_PROCESS_KYCRAIL_URL = "http://kycrail.sandbox.invalid"
WEBHOOK_PATH = "/webhooks/sumsub"  # where kycrail takes SumSub's webhooks


class _ShareTokenAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    token: str = Field(min_length=1)


_SHARE_TOKEN = body_reader(TypeAdapter(_ShareTokenAnswer))
_REVIEW = body_reader(TypeAdapter(ApplicantReview))


def _ignore_body(response: httpx.Response) -> None:
    return None


class SandboxSumsubClient(SumsubClient):
    """The production client, plus what a donor company and a sandbox test do."""

    async def mint_share_token(self, applicant_id: str, *, for_client_id: str, ttl_seconds: int) -> str:
        """The donor's side: share ``applicant_id`` with ``for_client_id``. Never retried (a POST)."""
        body = {"applicantId": applicant_id, "forClientId": for_client_id, "ttlInSecs": ttl_seconds}
        path = "/resources/accessTokens/shareToken"
        answer = await self._request("POST", path, _SHARE_TOKEN, json_body=body, lookup=True)
        return answer.token

    async def set_test_review(
        self,
        applicant_id: str,
        *,
        answer: str,
        reject_labels: Sequence[str] = (),
        reject_type: str | None = None,
    ) -> None:
        """Sandbox only: give the applicant a final verdict."""
        body: dict[str, Any] = {"reviewAnswer": answer, "rejectLabels": list(reject_labels)}
        if reject_type is not None:
            body["reviewRejectType"] = reject_type
        path = f"{applicant_path(applicant_id)}/status/testCompleted"
        await self._request("POST", path, _ignore_body, json_body=body, lookup=True)

    async def get_review_status(self, applicant_id: str) -> ApplicantReview:
        """Reads a verdict back (production reads the review with the applicant, ``get_applicant``)."""
        return await self._request("GET", f"{applicant_path(applicant_id)}/status", _REVIEW, lookup=True)


@dataclass(frozen=True, slots=True)
class Sandbox:
    emulator: Emulator
    client: SandboxSumsubClient


def level_names(settings: Settings) -> tuple[str, str]:
    """The emulator's KYC level is the one kycrail asks for; its KYB level SumSub's default name."""
    kyc_level = settings.sumsub_level_name
    return kyc_level, DEFAULT_KYB_LEVEL if kyc_level != DEFAULT_KYB_LEVEL else f"{DEFAULT_KYB_LEVEL}-company"


class _EmulatorTransport(httpx.ASGITransport):
    """The client's way in to the emulator; closing it (with the client) stops the emulator's
    background webhook deliveries too."""

    def __init__(self, emulator: Emulator) -> None:
        super().__init__(app=emulator)
        self._emulator = emulator

    async def aclose(self) -> None:
        await self._emulator.webhooks.aclose()
        await super().aclose()


def in_process_sandbox(
    settings: Settings,
    *,
    webhook_transport: httpx.AsyncBaseTransport | None = None,
    public_url: str | None = None,
) -> Sandbox:
    """An emulator with the configured credentials (or fresh random ones) and a signed client for it.

    Its KYC level is ``settings.sumsub_level_name``, the level kycrail asks for. With
    ``KYCRAIL_SUMSUB_WEBHOOK_SECRET`` set and a ``webhook_transport`` (the kycrail app's own, in
    process), the emulator sends its webhooks to ``/webhooks/sumsub`` through it.
    """
    app_token = (
        settings.sumsub_app_token.get_secret_value()
        if settings.sumsub_app_token
        else "sbx:" + secrets.token_urlsafe(24)
    )
    secret_key = (
        settings.sumsub_secret_key.get_secret_value()
        if settings.sumsub_secret_key
        else secrets.token_urlsafe(32)
    )
    kyc_level, kyb_level = level_names(settings)
    emulator = Emulator(
        app_token,
        secret_key,
        client_id=SANDBOX_CLIENT_ID,
        kyc_level=kyc_level,
        kyb_level=kyb_level,
        public_url=public_url,
    )
    if settings.sumsub_webhook_secret and webhook_transport is not None:
        emulator.webhooks.configure(
            url=_IN_PROCESS_KYCRAIL_URL + WEBHOOK_PATH,
            secret=settings.sumsub_webhook_secret.get_secret_value(),
            transport=webhook_transport,
        )
    client = SandboxSumsubClient(
        _IN_PROCESS_URL,
        app_token,
        secret_key,
        settings.sumsub_timeout_seconds,
        transport=_EmulatorTransport(emulator),
    )
    return Sandbox(emulator=emulator, client=client)
