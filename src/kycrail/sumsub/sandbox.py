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

SANDBOX_CLIENT_ID = "kycrail-sandbox"
# Not a network address: requests go through the ASGI transport to the in-process emulator.
_IN_PROCESS_URL = "http://sumsub.sandbox.invalid"


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


def in_process_sandbox(settings: Settings) -> Sandbox:
    """An emulator with the configured credentials (or fresh random ones) and a signed client for it."""
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
    emulator = Emulator(app_token, secret_key, client_id=SANDBOX_CLIENT_ID)
    client = SandboxSumsubClient(
        _IN_PROCESS_URL,
        app_token,
        secret_key,
        settings.sumsub_timeout_seconds,
        transport=httpx.ASGITransport(app=emulator),
    )
    return Sandbox(emulator=emulator, client=client)
