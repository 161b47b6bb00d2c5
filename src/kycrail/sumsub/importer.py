"""kycrail's KYC provider port on SumSub: import a share token, read an applicant back, map what it
holds, and turn SumSub's failures into kycrail's errors.

Runs outside any database transaction (SumSub may be slow); the caller writes what it returns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from kycrail.config import ImportMode
from kycrail.customers.provider import ImportedKyc
from kycrail.errors import (
    InvalidShareToken,
    KycProviderMisconfigured,
    KycProviderUnavailable,
    RejectedShareToken,
)
from kycrail.sumsub import errors
from kycrail.sumsub.client import SumsubClient
from kycrail.sumsub.mapping import PROVIDER, imported_kyc

log = logging.getLogger(__name__)


class SumsubProvider:
    """``KycProvider`` on SumSub (or its emulator). Without credentials (``client`` None), every call
    answers ``KycProviderMisconfigured``."""

    name = PROVIDER
    label = "SumSub"

    def __init__(self, client: SumsubClient | None, *, mode: ImportMode, level_name: str) -> None:
        self._client = client
        self._mode = mode
        self._level_name = level_name

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

    def _configured(self) -> SumsubClient:
        if self._client is None:
            log.error("KYC import refused: SumSub credentials are not configured")
            raise KycProviderMisconfigured()
        return self._client


@contextmanager
def _translated_errors(doing: str) -> Iterator[None]:
    try:
        yield
    except errors.ShareTokenInvalid:
        raise InvalidShareToken() from None
    except errors.ApplicantNotFound:
        # Our applicant is gone at SumSub: what the token gave us cannot be read back.
        raise InvalidShareToken() from None
    except errors.ShareTokenRejected as exc:
        raise RejectedShareToken(f"SumSub refused the share token: {exc.reason}") from None
    except errors.ProviderMisconfigured as exc:
        log.error("SumSub refused our credentials: %s", exc)
        raise KycProviderMisconfigured() from None
    except errors.SumsubError as exc:
        # Unavailable, or any answer we cannot use: the client may simply try again.
        log.warning("SumSub unavailable during %s: %s", doing, exc)
        raise KycProviderUnavailable() from None
