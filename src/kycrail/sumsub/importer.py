"""kycrail's KYC provider port on SumSub: import a share token, read an applicant back, map what it
holds, and turn SumSub's failures into kycrail's errors.

Runs outside any database transaction (SumSub may be slow); the caller writes what it returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from kycrail.config import ImportMode
from kycrail.customers.model import Customer, CustomerType
from kycrail.customers.provider import ImportedKyc, ProviderImage, VerificationLink
from kycrail.db import utc_now
from kycrail.errors import (
    InvalidShareToken,
    KycProviderMisconfigured,
    KycProviderUnavailable,
    RejectedShareToken,
)
from kycrail.sumsub import errors
from kycrail.sumsub.client import SumsubClient
from kycrail.sumsub.mapping import (
    PROVIDER,
    applicant_type,
    fixed_info,
    imported_kyc,
    provider_images,
    steps_for,
    steps_to_retake,
)

log = logging.getLogger(__name__)
# Without credentials nothing reaches SumSub: say which settings are missing (never their values), not
# that SumSub refused them, which sends the operator looking for a wrong secret.
NOT_CONFIGURED = (
    "KYCRAIL_SUMSUB_APP_TOKEN and KYCRAIL_SUMSUB_SECRET_KEY are not both set: share-token imports and "
    "verification links need them (or run kycrail serve --sandbox)."
)


class SumsubProvider:
    """``KycProvider`` on SumSub (or its emulator). Without credentials (``client`` None), every call
    answers ``KycProviderMisconfigured`` saying which settings are missing."""

    name = PROVIDER
    label = "SumSub"

    def __init__(
        self,
        client: SumsubClient | None,
        *,
        mode: ImportMode,
        level_name: str,
        kyb_level_name: str = "basic-kyb-level",
        link_ttl_seconds: int = 1800,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._client = client
        self._mode = mode
        self._level_name = level_name
        self._kyb_level_name = kyb_level_name
        self._link_ttl_seconds = link_ttl_seconds
        self._clock = clock

    async def import_share_token(self, share_token: str) -> ImportedKyc:
        client = self._configured()
        with _translated_errors("a share-token import"):
            applicant = await client.import_share_token(
                share_token, mode=self._mode, level_name=self._level_name
            )
            steps = await client.get_required_id_docs_status(applicant.id)
        return imported_kyc(applicant, steps)

    async def read_applicant(self, applicant_id: str) -> ImportedKyc:
        client = self._configured()
        with _translated_errors("an applicant read"):
            applicant = await client.get_applicant(applicant_id)
            steps = await client.get_required_id_docs_status(applicant_id)
        return imported_kyc(applicant, steps)

    async def document_images(self, applicant_id: str) -> tuple[ProviderImage, ...]:
        client = self._configured()
        with _translated_errors("a listing of document images", share_token=False):
            applicant = await client.get_applicant(applicant_id)
            resources = await client.get_image_resources(applicant_id)
        return provider_images(applicant, resources)

    async def image_content(self, image: ProviderImage) -> bytes:
        client = self._configured()
        inspection_id, _, image_id = image.locator.partition("/")
        with _translated_errors("a document image's download", share_token=False):
            return await client.get_image(inspection_id, image_id)

    async def verification_link(self, customer: Customer) -> VerificationLink:
        client = self._configured()
        level = self._kyb_level_name if customer.type is CustomerType.business else self._level_name
        with _translated_errors("a verification link", share_token=False):
            try:
                applicant = await client.create_applicant(
                    external_user_id=customer.id,
                    level_name=level,
                    applicant_type=applicant_type(customer),
                    fixed_info=fixed_info(customer),
                    email=customer.email,
                    phone=customer.phone,
                )
            except errors.ApplicantExists:  # made by an earlier link (or an attempt that seemed to fail)
                applicant = await client.get_applicant_by_external_id(customer.id)
            expires_at = self._clock() + timedelta(seconds=self._link_ttl_seconds)
            url = await client.websdk_link(
                level_name=level, user_id=customer.id, ttl_seconds=self._link_ttl_seconds
            )
        return VerificationLink(url=url, expires_at=expires_at, applicant_id=applicant.id, level_name=level)

    async def retake(self, customer: Customer, criteria: frozenset[str]) -> frozenset[str]:
        client = self._configured()
        followed, wanted = customer.sumsub, steps_for(criteria)
        if followed is None or not wanted:
            return frozenset()
        with _translated_errors("a step reset", share_token=False):
            try:
                # The applicant the customer's link opens (verification_link): its own, by its id.
                applicant = await client.get_applicant_by_external_id(customer.id)
            except errors.ApplicantNotFound:  # the link creates it: a new applicant takes every step
                return frozenset()
            if applicant.id != followed.applicant_id:  # an imported applicant: the link opens another
                return frozenset()
            steps = await client.get_required_id_docs_status(applicant.id)
            retaken = steps_to_retake(applicant, steps, wanted)
            for step in retaken:
                await client.reset_step(applicant.id, step)
        return frozenset(retaken.values())

    def _configured(self) -> SumsubClient:
        if self._client is None:
            log.error("SumSub was not called: %s", NOT_CONFIGURED)
            raise KycProviderMisconfigured(NOT_CONFIGURED)
        return self._client


@contextmanager
def _translated_errors(doing: str, *, share_token: bool = True) -> Iterator[None]:
    try:
        yield
    except errors.ShareTokenInvalid:
        raise InvalidShareToken() from None
    except errors.ApplicantNotFound:
        if share_token:  # our applicant is gone at SumSub: what the token gave us cannot be read back
            raise InvalidShareToken() from None
        log.warning("SumSub lost track of an applicant during %s", doing)
        raise KycProviderUnavailable() from None
    except errors.ShareTokenRejected as exc:
        raise RejectedShareToken(f"SumSub refused the share token: {exc.reason}") from None
    except errors.ProviderMisconfigured as exc:
        log.error("SumSub refused our credentials: %s", exc)
        raise KycProviderMisconfigured() from None
    except errors.SumsubError as exc:
        # Unavailable, or any answer we cannot use: the client may simply try again.
        log.warning("SumSub unavailable during %s: %s", doing, exc)
        raise KycProviderUnavailable() from None
