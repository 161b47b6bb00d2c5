"""The provider's files of a customer's documents, fetched into kycrail's store, so that a reviewer
sees what the provider saw.

A review the provider completed (an import, a webhook's reading: ``service.sync``) asks for them in
the transaction that applies it (``repository.ask_documents``). The worker then fetches them outside
any transaction: it lists the applicant's files, downloads each one kycrail does not hold yet, and
keeps it (documents/fetched.py). Once: a file held is never downloaded again, whoever asks. A provider
or a store that fails leaves the fetch for a later turn, backing off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from kycrail import db
from kycrail.applicants import repository
from kycrail.applicants.repository import Fetch
from kycrail.applicants.service import provider_actor
from kycrail.customers import repository as customers_repository
from kycrail.customers import service as customers
from kycrail.customers.provider import KycProvider
from kycrail.db import utc_now, write_transaction
from kycrail.documents import fetched
from kycrail.documents import repository as documents_repository
from kycrail.documents.fetched import Limits
from kycrail.errors import (
    DocumentStoreUnavailable,
    KycProviderMisconfigured,
    KycProviderUnavailable,
    NotFound,
)
from kycrail.storage import Storage

log = logging.getLogger(__name__)
# How long a process holds a fetch it took: past it, a process that died leaves it to another.
LEASE = timedelta(minutes=5)
# After a failed attempt, the fetch is tried again after this (then twice as long, up to six hours).
RETRY_AFTER = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Fetched:
    kept: int  # files now held
    downloaded: int  # files downloaded (a file refused is downloaded, not kept)


async def fetch_due(storage: Storage, provider: KycProvider, limits: Limits, *, limit: int = 20) -> int:
    """Fetch the files of the customers whose turn has come; how many customers were due."""
    async with db.connect(storage.engine) as connection:
        due = await repository.fetches_due(connection, utc_now(), limit)
    for fetch in due:
        await fetch_one(storage, provider, fetch, limits)
    return len(due)


async def fetch_one(storage: Storage, provider: KycProvider, fetch: Fetch, limits: Limits) -> Fetched | None:
    """One customer's files, under a lease; None when another process took it first or it failed
    (then tried again later)."""
    now = utc_now()
    async with write_transaction(storage.engine) as connection:
        if not await repository.take_fetch(connection, fetch, now, now + LEASE):
            return None
    attempts = fetch.attempts + 1
    try:
        done = await _fetch(storage, provider, fetch, limits)
    except Exception as failed:
        delay = min(RETRY_AFTER * 2 ** (attempts - 1), MAX_RETRY)
        async with write_transaction(storage.engine) as connection:
            await repository.fetch_later(connection, fetch.tenant_id, fetch.customer_id, utc_now() + delay)
        if isinstance(failed, KycProviderUnavailable | KycProviderMisconfigured | DocumentStoreUnavailable):
            log.warning(
                "a customer's documents could not be fetched from the provider yet; tried again later"
            )
        else:
            log.exception("fetching a customer's documents from the provider failed; tried again later")
        return None
    async with write_transaction(storage.engine) as connection:
        await repository.fetched(connection, fetch.tenant_id, fetch.customer_id, attempts)
    return done


async def _fetch(storage: Storage, provider: KycProvider, fetch: Fetch, limits: Limits) -> Fetched:
    try:
        customer = await customers.get_customer(storage, fetch.tenant_id, fetch.customer_id)
    except NotFound:  # deleted since: nothing to keep
        return Fetched(0, 0)
    if customer.sumsub is None:
        return Fetched(0, 0)
    images = await provider.document_images(customer.sumsub.applicant_id)
    async with db.connect(storage.engine) as connection:
        held = {
            file.id
            for file in await documents_repository.files_of(connection, fetch.tenant_id, fetch.customer_id)
        }
        # The customer's data key, read once: every file kept is sealed under it.
        key = await customers_repository.data_key(connection, storage.vault, fetch.tenant_id, customer.id)
    actor = provider_actor(fetch.tenant_id, provider.name)
    kept = downloaded = 0
    for image in images:
        if fetched.document_id_of(customer.id, image) in held:
            continue
        if not fetched.fits(image, limits):
            log.warning(
                "a provider's file (%s) is not fetched: larger than documents may be", image.reference
            )
            continue
        content = await provider.image_content(image)
        downloaded += 1
        kept += await fetched.keep(storage, actor, customer, key, image, content, limits)
    return Fetched(kept, downloaded)
