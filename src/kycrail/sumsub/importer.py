"""Fetch a share token's KYC from SumSub: import, read the steps, map, and say why when it can't.

Runs outside any database transaction (SumSub may be slow); the caller writes what it returns.
"""

from __future__ import annotations

import logging

from kycrail.config import ImportMode
from kycrail.customers.imported import ImportedKyc
from kycrail.errors import (
    InvalidShareToken,
    KycProviderMisconfigured,
    KycProviderUnavailable,
    RejectedShareToken,
)
from kycrail.sumsub import errors
from kycrail.sumsub.client import SumsubClient
from kycrail.sumsub.mapping import imported_kyc

log = logging.getLogger(__name__)


async def fetch_share_token_kyc(
    client: SumsubClient | None, share_token: str, *, mode: ImportMode, level_name: str
) -> ImportedKyc:
    """The approved KYC behind ``share_token``, or the API error that explains why not."""
    if client is None:
        log.error("share-token import refused: SumSub credentials are not configured")
        raise KycProviderMisconfigured()
    try:
        applicant = await client.import_share_token(share_token, mode=mode, level_name=level_name)
        steps = await client.get_required_id_docs_status(applicant.id)
    except errors.ShareTokenInvalid:
        raise InvalidShareToken() from None
    except errors.ShareTokenRejected as exc:
        raise RejectedShareToken(f"SumSub refused the share token: {exc.reason}") from None
    except errors.ProviderMisconfigured as exc:
        log.error("SumSub refused our credentials: %s", exc)
        raise KycProviderMisconfigured() from None
    except errors.SumsubError as exc:
        # Unavailable, or any answer we cannot use: the client may simply try again.
        log.warning("SumSub unavailable during a share-token import: %s", exc)
        raise KycProviderUnavailable() from None
    imported = imported_kyc(applicant, steps)
    if not imported.approved:
        # Copy mode inherits the donor's review: only an approved one is taken over.
        raise RejectedShareToken(f"SumSub refused the share token: {imported.rejection_reason}")
    return imported
