"""What a provider's webhook, and the reconciliation that heals a lost one, do to a customer.

A webhook carries no personal data: it names an applicant, and kycrail reads that applicant from the
provider as it stands now and applies it (``customers.service.apply_applicant``: the lifecycle rules
hold for providers too). Reading the current state, not the webhook's, makes duplicates and
out-of-order deliveries harmless; the review date and a digest of what was applied keep an older or
identical reading from being applied again when several readings race.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from kycrail import db
from kycrail.applicants import repository
from kycrail.applicants.repository import Followed
from kycrail.customers import service as customers
from kycrail.customers.audit import Actor
from kycrail.customers.lifecycle import Party
from kycrail.customers.provider import ImportedKyc, KycProvider, ReviewState, VerdictOutcome
from kycrail.db import utc_now, write_transaction
from kycrail.driver.base import Connection
from kycrail.errors import KycProviderMisconfigured, KycProviderUnavailable, NotFound, RuleViolation
from kycrail.storage import Storage

log = logging.getLogger(__name__)
# After a failed attempt, a notification is tried again after this (then twice as long, up to a day).
RETRY_AFTER = timedelta(seconds=30)
MAX_RETRY = timedelta(days=1)


class _AlreadyApplied(Exception):
    """This reading is older than, or the same as, what was applied: nothing is written."""


@dataclass(frozen=True, slots=True)
class Outcome:
    applied: bool  # the customer changed
    reason: str  # what happened, for logs and tests (never personal)


def provider_actor(tenant_id: str, provider: str) -> Actor:
    """The provider as the author of what it decided: role ``provider``, its name as the key prefix."""
    return Actor(
        tenant_id=tenant_id, key_prefix=provider, role=Party.provider.value, request_id=f"{provider}-sync"
    )


# --- notifications in -------------------------------------------------------------------------------


async def receive(storage: Storage, provider: str, body: bytes, applicant_id: str, kind: str) -> int | None:
    """Keep a verified notification; its id, or None when this very notification came before."""
    digest = hashlib.sha256(body).hexdigest()
    index = storage.vault.blind_index.applicant(provider, applicant_id)
    async with write_transaction(storage.engine) as connection:
        return await repository.receive(connection, provider, digest, index, kind, utc_now())


async def process(
    storage: Storage, provider: KycProvider, notification_id: int, *, every: timedelta
) -> Outcome:
    """Apply what a kept notification is about, and mark it processed. One that fails is tried again
    later by the worker (backing off): a provider that cannot be read is raised to the caller (a
    request answers SumSub all the same); a failure of kycrail's own is logged."""
    async with db.connect(storage.engine) as connection:
        found = await repository.notification(connection, notification_id)
        followed = await repository.by_applicant(connection, found[0]) if found else None
    if found is None:
        return Outcome(False, "processed already")
    try:
        if followed is None:
            outcome = Outcome(False, "not followed")
        else:
            outcome = await sync(storage, provider, followed, recheck_after=every)
    except Exception as failed:
        attempts = found[1] + 1
        delay = min(RETRY_AFTER * 2 ** (attempts - 1), MAX_RETRY)
        async with write_transaction(storage.engine) as connection:
            await repository.retry_later(connection, notification_id, attempts, utc_now() + delay)
        if isinstance(failed, KycProviderUnavailable | KycProviderMisconfigured):
            raise
        log.exception("applying a provider notification failed; it will be tried again")
        return Outcome(False, "failed: tried again later")
    async with write_transaction(storage.engine) as connection:
        await repository.processed(connection, notification_id, utc_now())
    return outcome


# --- reading an applicant and applying it --------------------------------------------------------------


async def sync(
    storage: Storage,
    provider: KycProvider,
    followed: Followed,
    *,
    recheck_after: timedelta,
) -> Outcome:
    """Read the followed applicant now and apply it to its customer (one transaction)."""
    tenant_id, customer_id = followed.tenant_id, followed.customer_id
    try:
        customer = await customers.get_customer(storage, tenant_id, customer_id)
    except NotFound:  # deleted since: nothing more to follow
        async with write_transaction(storage.engine) as connection:
            await repository.forget(connection, tenant_id, customer_id)
        return Outcome(False, "customer gone")
    if customer.sumsub is None:
        return Outcome(False, "no applicant")
    kyc = await provider.read_applicant(customer.sumsub.applicant_id)
    digest = _digest(storage, kyc)
    now = utc_now()
    final = _final(kyc)
    next_check_at = now + recheck_after

    async def record(connection: Connection) -> None:
        current = await repository.of_customer(connection, tenant_id, customer_id, for_update=True)
        if current is None:
            raise _AlreadyApplied()
        older = (
            current.reviewed_at is not None
            and kyc.reviewed_at is not None
            and kyc.reviewed_at < current.reviewed_at
        )
        if older or current.state_digest == digest:
            raise _AlreadyApplied()
        await repository.record(
            connection,
            tenant_id,
            customer_id,
            review_state=kyc.review_state.value,
            final=final,
            reviewed_at=kyc.reviewed_at or current.reviewed_at,
            state_digest=digest,
            next_check_at=next_check_at,
            now=now,
        )
        if final:  # decided: what the provider saw is fetched for kycrail's reviewers
            await repository.ask_documents(connection, tenant_id, customer_id, provider.name, now)

    actor = provider_actor(tenant_id, provider.name)
    try:
        await customers.apply_applicant(storage, actor, customer_id, kyc, also_write=record)
    except _AlreadyApplied:
        async with write_transaction(storage.engine) as connection:
            await repository.postpone(connection, tenant_id, customer_id, next_check_at)
        return Outcome(False, "already applied")
    except RuleViolation as refused:  # a final rejection holds: the provider cannot undo it
        async with write_transaction(storage.engine) as connection:
            await _record_refused(connection, tenant_id, customer_id, kyc, digest, now)
        return Outcome(False, f"refused by the lifecycle: {type(refused).__name__}")
    return Outcome(True, f"applied: {kyc.review_state.value}")


async def _record_refused(
    connection: Connection,
    tenant_id: str,
    customer_id: str,
    kyc: ImportedKyc,
    digest: str,
    now: datetime,
) -> None:
    """What the provider said is recorded as seen; nothing more is waited for (the customer is decided)."""
    await repository.record(
        connection,
        tenant_id,
        customer_id,
        review_state=kyc.review_state.value,
        final=True,
        reviewed_at=kyc.reviewed_at,
        state_digest=digest,
        next_check_at=now,
        now=now,
    )


def _final(kyc: ImportedKyc) -> bool:
    """Decided for good: approved, or rejected with no retry. A retry request waits for the person."""
    verdict = kyc.verdict
    return (
        kyc.review_state is ReviewState.completed
        and verdict is not None
        and verdict.outcome in (VerdictOutcome.approved, VerdictOutcome.rejected)
    )


def _digest(storage: Storage, kyc: ImportedKyc) -> str:
    """Keyed (the reading holds personal data): equal readings, equal digests; nothing to guess from."""
    return hmac.new(storage.vault.blind_index.fingerprint_key, repr(kyc).encode(), hashlib.sha256).hexdigest()


# --- reconciliation -------------------------------------------------------------------------------------


async def reconcile_due(storage: Storage, provider: KycProvider, *, every: timedelta, limit: int = 50) -> int:
    """Read again the open applicants whose time has come (a lost webhook is healed within ``every``);
    how many were read. One that cannot be read now is tried at its next turn."""
    async with db.connect(storage.engine) as connection:
        found = await repository.due(connection, utc_now(), limit)
    for followed in found:
        try:
            await sync(storage, provider, followed, recheck_after=every)
        except (KycProviderUnavailable, KycProviderMisconfigured):
            async with write_transaction(storage.engine) as connection:
                await repository.postpone(
                    connection, followed.tenant_id, followed.customer_id, utc_now() + every
                )
    return len(found)


async def process_due(storage: Storage, provider: KycProvider, *, every: timedelta, limit: int = 50) -> int:
    """Process the kept notifications due now (those a request could not finish); how many."""
    async with db.connect(storage.engine) as connection:
        found = await repository.notifications_due(connection, utc_now(), limit)
    for notification_id, _, _ in found:
        try:
            await process(storage, provider, notification_id, every=every)
        except (KycProviderUnavailable, KycProviderMisconfigured):
            log.warning("a provider notification could not be applied yet; it will be tried again")
    return len(found)
