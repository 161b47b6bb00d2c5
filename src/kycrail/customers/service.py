"""Customer use cases: each loads the customer, runs one lifecycle event on it (``lifecycle.py``) and
persists the result in one transaction, appending the audit event in that same transaction."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from kycrail import db
from kycrail.applicants import repository as applicants
from kycrail.customers import audit, codec, domain, lifecycle, repository, screening
from kycrail.customers.audit import Actor, AuditEvent, EventKind
from kycrail.customers.domain import CustomerChanges, NewCustomer
from kycrail.customers.lifecycle import (
    ApplicantUpdated,
    Deleted,
    DocumentAdded,
    Erased,
    FieldsSupplied,
    HitCleared,
    KycImported,
    Party,
    Reopened,
    ReviewDecided,
    Transition,
    TrueMatch,
    VerificationStarted,
)
from kycrail.customers.model import (
    Customer,
    CustomerType,
    DocumentStatus,
    DocumentSummary,
    DocumentType,
    Review,
    ReviewDecision,
    ReviewReason,
)
from kycrail.customers.provider import ImportedKyc, KycProvider, ReviewState, VerificationLink
from kycrail.customers.verification import DOCUMENT_CRITERIA, Stage
from kycrail.db import utc_now, write_transaction
from kycrail.documents import repository as documents_repository
from kycrail.documents.content import MAX_DOCUMENT_PIXELS, checked_content_type
from kycrail.documents.repository import HeldFile, Sealed, StoredDocument, sealed_at
from kycrail.documents.store import S3Store
from kycrail.driver.base import Connection
from kycrail.errors import (
    ConcurrentChange,
    DocumentStoreUnavailable,
    DuplicateContact,
    DuplicateDocument,
    FieldError,
    IdempotentAnswerGone,
    InvalidShareToken,
    NotFound,
    PreconditionFailed,
    RejectedShareToken,
)
from kycrail.outbox import repository as outbox
from kycrail.screening import hits_repository as hits
from kycrail.screening.screener import Lists
from kycrail.share_tokens import repository as share_tokens
from kycrail.storage import Storage
from kycrail.vault.envelope import DataKey, context

CUSTOMER_NOT_FOUND = "Customer not found"  # Swipelux's documented wording

# Run last inside a write's transaction, with what the write produced: the caller renders its answer
# there (and keeps it for idempotent retries), so a write and its answer commit, or fail, together.
Finish = Callable[[Connection, Customer], Awaitable[None]]


def new_customer_id() -> str:
    return "customer_" + uuid.uuid4().hex


def _duplicate_contact(
    exc: IntegrityError, from_provider: Mapping[str, str] | None = None
) -> DuplicateContact | DuplicateDocument | None:
    """The unique email or phone index refused the write: say which, with a pointer (or the unique
    index of a customer's files: the same file twice).

    ``from_provider``: contact fields this write took from a KYC provider's data (field -> provider's
    label), with the share token that brought them; the client never sent those, so the error points
    at the token and says how to complete the import.
    """
    message = str(exc.orig).lower()
    if "content_index" in message:  # a concurrent upload of the very same file came first
        return DuplicateDocument(pointer="/file")
    for column in ("email", "phone"):
        if column not in message:
            continue
        if from_provider and column in from_provider:
            return DuplicateContact(
                f"The {column} {from_provider[column]} holds for this person is already used by another "
                f"customer of this tenant. Send this customer's own {column} with the same share token "
                "to complete the import.",
                errors=(
                    FieldError(domain.IMPORT_POINTER, f"Its {column} is already used by another customer."),
                ),
            )
        return DuplicateContact(
            f"Another customer of this tenant already has this {column}.",
            errors=(FieldError(f"/{column}", f"Already used by another customer: {column}."),),
        )
    return None


async def _record(
    connection: Connection,
    storage: Storage,
    actor: Actor,
    transition: Transition,
    before: Customer | None,
) -> None:
    """The write's audit event, and its outgoing event in the outbox: both in the write's transaction.
    ``before``: the customer the transition started from (None for a new one)."""
    kind, after = transition.kind, transition.customer
    event = AuditEvent(
        id=0,
        customer_id=after.id,
        kind=kind.value,
        key_prefix=actor.key_prefix,
        role=actor.role,
        request_id=actor.request_id,
        changes=audit.changes(before, after),
        occurred_at=after.updated_at,
        operator_id=actor.operator_id,
    )
    await repository.insert_event(connection, actor.tenant_id, event)
    await _send_later(connection, storage, transition)


async def _send_later(connection: Connection, storage: Storage, transition: Transition) -> None:
    """Append the event to the outbox, with the customer as this write left it, sealed under its data
    key (an erasure sends nothing personal: no snapshot). The statuses are the transition's own: the
    lifecycle worked them out already."""
    kind, after = transition.kind, transition.customer
    event_id = outbox.new_event_id()
    snapshot = None
    if kind is not EventKind.erased:
        key = await repository.data_key(connection, storage.vault, after.tenant_id, after.id)
        snapshot = key.seal(codec.snapshot(after), context(after.id, outbox.snapshot_field(event_id)))
    await outbox.append(
        connection,
        outbox.OutboxEvent(
            id=0,
            event_id=event_id,
            tenant_id=after.tenant_id,
            customer_id=after.id,
            kind=kind.value,
            customer_type=after.type.value,
            status_before=transition.before.value if transition.before is not None else None,
            status_after=transition.after.value,
            occurred_at=after.updated_at,
            snapshot=snapshot,
        ),
    )
    storage.outbox_written.set()


def _party(actor: Actor) -> Party:
    return Party.of_role(actor.role)


async def _insert(
    storage: Storage,
    actor: Actor,
    transitions: Sequence[Transition],
    *,
    also_write: Callable[[Connection], Awaitable[None]] | None = None,
    from_provider: Mapping[str, str] | None = None,
    finish: Finish | None = None,
    new_hits: Sequence[screening.NewHit] = (),
) -> Customer:
    """Store a new customer with an audit event for each transition that made it (and the screening
    hits its name raised)."""
    customer = transitions[-1].customer
    try:
        async with write_transaction(storage.engine) as connection:
            await repository.insert(connection, storage.vault, customer)
            await repository.count_transition(connection, actor.tenant_id, None, customer)
            before = None
            for transition in transitions:
                await _record(connection, storage, actor, transition, before)
                before = transition.customer
            await screening.write_hits(connection, storage, customer, new_hits)
            if also_write is not None:
                await also_write(connection)
            if finish is not None:
                await finish(connection, customer)
    except IntegrityError as exc:
        raise (_duplicate_contact(exc, from_provider) or exc) from None
    return customer


async def create_customer(
    storage: Storage, actor: Actor, new: NewCustomer, *, finish: Finish | None = None
) -> Customer:
    started = lifecycle.start(new_customer_id(), actor.tenant_id, new, _party(actor), utc_now())
    await storage.screener.refresh(storage.engine)
    new_hits = screening.new_hits_of([], storage.screener.screen(started.customer))
    transitions = [started, *screening.raised_before(started.customer, None, new_hits, _party(actor))]
    return await _insert(storage, actor, transitions, finish=finish, new_hits=new_hits)


async def get_customer(storage: Storage, tenant_id: str, customer_id: str) -> Customer:
    async with db.connect(storage.engine) as connection:
        customer = await repository.get(connection, storage.vault, tenant_id, customer_id)
    if customer is None:
        raise NotFound(CUSTOMER_NOT_FOUND)
    return customer


@dataclass(frozen=True, slots=True)
class CustomerPage:
    customers: list[Customer]
    total: int


async def list_customers(
    storage: Storage,
    tenant_id: str,
    *,
    limit: int,
    offset: int,
    status: str | None = None,
    stage: Stage | None = None,
    customer_type: CustomerType | None = None,
    email: str | None = None,
) -> CustomerPage:
    async with db.connect(storage.engine) as connection:
        customers, total = await repository.list_page(
            connection,
            storage.vault,
            tenant_id,
            limit=limit,
            offset=offset,
            status=status,
            stage=stage,
            customer_type=customer_type,
            email=email,
        )
    return CustomerPage(customers=customers, total=total)


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[AuditEvent]
    total: int


async def list_events(
    storage: Storage, tenant_id: str, customer_id: str, *, limit: int, offset: int
) -> EventPage:
    """The audit trail of a customer of this tenant, deleted ones included."""
    async with db.connect(storage.engine) as connection:
        if not await repository.exists_including_deleted(connection, tenant_id, customer_id):
            raise NotFound(CUSTOMER_NOT_FOUND)
        events, total = await repository.list_events(
            connection, tenant_id, customer_id, limit=limit, offset=offset
        )
    return EventPage(events=events, total=total)


def check_version(current: Customer, expected_versions: frozenset[int] | None) -> None:
    """If-Match: the client's copy must still be the current one."""
    if expected_versions is not None and current.version not in expected_versions:
        raise PreconditionFailed(
            f"The customer is at version {current.version}, which If-Match does not name: read it again."
        )


async def _modify(
    storage: Storage,
    actor: Actor,
    customer_id: str,
    event: lifecycle.Event | None,
    *,
    lists: Lists | None = None,
    expected_versions: frozenset[int] | None = None,
    also_write: Callable[[Connection], Awaitable[None]] | None = None,
    from_provider: Mapping[str, str] | None = None,
    finish: Finish | None = None,
) -> Customer:
    """Read the current row under the write lock, run ``event`` on it through the lifecycle, write it
    back with its audit event (and whatever ``also_write`` adds) in one transaction: atomic per
    customer, and nothing written when a rule refuses. A provider's reading that changes nothing
    (a webhook or a reconciliation after an import) leaves the customer as it was: no new version,
    time, audit event or outgoing event; only ``also_write`` runs. A write that changes the customer's
    name, date of birth or country screens it again, inside the transaction (``screening.screened``); with no
    event, the write is a screening alone (against ``lists``), and writes nothing when it finds nothing
    new."""
    if event is None or isinstance(event, screening.MAY_RENAME):
        await storage.screener.refresh(storage.engine)
    try:
        async with write_transaction(storage.engine) as connection:
            current = await repository.get(
                connection, storage.vault, actor.tenant_id, customer_id, for_update=True
            )
            if current is None:
                raise NotFound(CUSTOMER_NOT_FOUND)
            check_version(current, expected_versions)
            transitions, new_hits = await screening.screened(
                connection, storage, _party(actor), current, event, lists
            )
            if not transitions:
                return current  # a screening alone that found nothing new
            transition = transitions[-1]
            updated = transition.customer
            if also_write is not None:
                await also_write(connection)
            if isinstance(event, ApplicantUpdated) and not transition.changed:
                if finish is not None:
                    await finish(connection, current)
                return current
            if not await repository.update_if_version(connection, storage.vault, updated, current.version):
                # Unreachable while the row lock holds; a guard, not a retry path.
                raise ConcurrentChange()
            await repository.count_transition(connection, actor.tenant_id, current, updated)
            before = current
            for made in transitions:
                await _record(connection, storage, actor, made, before)
                before = made.customer
            await screening.write_hits(connection, storage, updated, new_hits)
            if finish is not None:
                await finish(connection, updated)
    except IntegrityError as exc:
        raise (_duplicate_contact(exc, from_provider) or exc) from None
    return updated


async def resolve_hit(
    storage: Storage,
    actor: Actor,
    customer_id: str,
    event: HitCleared | TrueMatch,
    *,
    also_write: Callable[[Connection], Awaitable[None]],
    finish: Finish | None = None,
) -> Customer:
    """A reviewer's resolution of a screening hit, through the lifecycle (``also_write`` records it on
    the hit, in the same transaction)."""
    return await _modify(storage, actor, customer_id, event, also_write=also_write, finish=finish)


async def screen_again(storage: Storage, actor: Actor, customer_id: str, lists: Lists) -> Customer | None:
    """The customer screened against ``lists`` (a list update's new and changed entries), in a write
    of its own that raises what it finds not on record yet; None when it was deleted meanwhile."""
    try:
        return await _modify(storage, actor, customer_id, None, lists=lists)
    except NotFound:
        return None


async def update_customer(
    storage: Storage,
    actor: Actor,
    customer_id: str,
    changes: CustomerChanges,
    *,
    expected_versions: frozenset[int] | None = None,
    finish: Finish | None = None,
) -> Customer:
    return await _modify(
        storage,
        actor,
        customer_id,
        FieldsSupplied(changes),
        expected_versions=expected_versions,
        finish=finish,
    )


async def _kyc_behind(
    storage: Storage, provider: KycProvider, tenant_id: str, share_token: str, customer_id: str | None
) -> tuple[ImportedKyc, str]:
    """The approved KYC a share token gives, and the token's digest.

    The first import spends the single-use token at the provider, and the applicant it created is
    remembered (outside the write). If kycrail's own write then fails (a duplicate email from the
    provider's data, an identity mismatch, a lost race), a retry with the same token for the same
    customer (``None``: one being created) resumes from that applicant. A token whose import was
    applied, or that was spent for another customer, is refused.
    """
    digest = share_tokens.token_digest(share_token)
    remembered = await share_tokens.find(storage.engine, tenant_id, share_token)
    if remembered is None:
        imported = await provider.import_share_token(share_token)
        await share_tokens.remember(
            storage.engine, tenant_id, share_token, customer_id, imported.applicant_id, utc_now()
        )
    elif remembered.applied_at is not None:
        raise InvalidShareToken()
    elif remembered.customer_id not in (None, customer_id):
        raise InvalidShareToken("This share token was used for another customer; generate a new one.")
    else:
        imported = await provider.read_applicant(remembered.applicant_id)
    if not imported.approved:
        raise RejectedShareToken(
            f"{provider.label} refused the share token: {imported.rejection_reason or 'not approved'}"
        )
    return imported, digest


def _applies(tenant_id: str, digest: str, customer_id: str) -> Callable[[Connection], Awaitable[None]]:
    """In the write's transaction: the token's import is applied to this customer, once."""

    async def mark(connection: Connection) -> None:
        if not await share_tokens.mark_applied(connection, tenant_id, digest, customer_id, utc_now()):
            raise InvalidShareToken()  # a concurrent request applied it first

    return mark


async def import_share_token(
    storage: Storage,
    provider: KycProvider,
    actor: Actor,
    customer_id: str,
    share_token: str,
    changes: CustomerChanges | None = None,
    *,
    expected_versions: frozenset[int] | None = None,
    finish: Finish | None = None,
) -> Customer:
    """Import the token's KYC, with a request's other changes, in one write.

    The request is checked before the provider is called (a refused request must not spend the
    single-use token); the provider is called outside any transaction; the write then applies both on
    the current row.
    """
    current = await get_customer(storage, actor.tenant_id, customer_id)
    check_version(current, expected_versions)
    party = _party(actor)
    lifecycle.check(current, KycImported, party)  # a final rejection refuses before the token is spent
    if changes is not None:
        # A dry run: raises what the write would.
        lifecycle.apply(current, FieldsSupplied(changes), party, utc_now())
    else:
        domain.ensure_individual(current)
    imported, digest = await _kyc_behind(storage, provider, actor.tenant_id, share_token, customer_id)
    from_provider = dict.fromkeys(domain.contacts_from_import(current, imported, changes), provider.label)
    return await _modify(
        storage,
        actor,
        customer_id,
        KycImported(imported, changes),
        expected_versions=expected_versions,
        also_write=_together(
            _applies(actor.tenant_id, digest, customer_id),
            _follows(
                storage, actor.tenant_id, customer_id, provider.name, imported.applicant_id, imported=True
            ),
        ),
        from_provider=from_provider,
        finish=finish,
    )


async def verification_link(
    storage: Storage, provider: KycProvider, actor: Actor, customer_id: str
) -> VerificationLink:
    """A fresh link for the customer to verify with the provider. The provider is called outside any
    transaction; the applicant it opened is then recorded on the customer, once (asking again gets a
    fresh link to the same applicant and writes nothing). Documents a reviewer sent back after the
    provider accepted them are opened again at the provider first (``_retake_sent_back``)."""
    current = await get_customer(storage, actor.tenant_id, customer_id)
    lifecycle.check(current, VerificationStarted, _party(actor))  # a final rejection gets no link
    await _retake_sent_back(storage, provider, actor.tenant_id, current)
    link = await provider.verification_link(current)
    if current.sumsub is None or current.sumsub.applicant_id != link.applicant_id:
        await _modify(
            storage,
            actor,
            customer_id,
            VerificationStarted(link.applicant_id, link.level_name),
            also_write=_follows(storage, actor.tenant_id, customer_id, provider.name, link.applicant_id),
        )
    return link


async def _retake_sent_back(
    storage: Storage, provider: KycProvider, tenant_id: str, customer: Customer
) -> None:
    """The documents a reviewer sent back, where the provider had accepted them: its page takes no new
    submission for a step it approved, so the followed applicant takes them again (the provider
    opens exactly their steps), then is followed as open (not submitted) until the provider's next
    decision. Once: while it is open (reset, submitted, in review) nothing is opened again, so a
    second link never undoes what the person submitted; and a decision kycrail has not applied yet
    (its webhook on the way) is never undone either."""
    sent_back = frozenset(customer.criterion_errors) & frozenset(DOCUMENT_CRITERIA[customer.type])
    if not sent_back or customer.sumsub is None:
        return
    async with db.connect(storage.engine) as connection:
        followed = await applicants.of_customer(connection, tenant_id, customer.id)
    if followed is None or not followed.final:  # not decided as far as kycrail knows: nothing to open
        return
    if not await provider.retake(customer, sent_back):
        return
    reopen = _follows(storage, tenant_id, customer.id, provider.name, customer.sumsub.applicant_id)
    async with write_transaction(storage.engine) as connection:
        await reopen(connection)


def _follows(
    storage: Storage,
    tenant_id: str,
    customer_id: str,
    provider: str,
    applicant_id: str,
    *,
    imported: bool = False,
) -> Callable[[Connection], Awaitable[None]]:
    """In the write's transaction: the provider's webhooks about this applicant now reach the
    customer, and reconciliation reads it until it is decided. ``imported``: the provider reviewed it
    already, so its document files are to be fetched too (applicants/documents.py)."""

    async def follow(connection: Connection) -> None:
        index = storage.vault.blind_index.applicant(provider, applicant_id)
        now = utc_now()
        await applicants.follow(
            connection, tenant_id, customer_id, provider, index, ReviewState.not_submitted, now, now
        )
        if imported:
            await applicants.ask_documents(connection, tenant_id, customer_id, provider, now)

    return follow


def _together(
    *writes: Callable[[Connection], Awaitable[None]],
) -> Callable[[Connection], Awaitable[None]]:
    async def write(connection: Connection) -> None:
        for one in writes:
            await one(connection)

    return write


async def apply_applicant(
    storage: Storage,
    actor: Actor,
    customer_id: str,
    kyc: ImportedKyc,
    also_write: Callable[[Connection], Awaitable[None]],
) -> Customer:
    """The provider's applicant as it stands now, applied to the customer in one write (``also_write``
    records what was applied, or raises to apply nothing)."""
    return await _modify(storage, actor, customer_id, ApplicantUpdated(kyc), also_write=also_write)


async def create_customer_with_share_token(
    storage: Storage,
    provider: KycProvider,
    actor: Actor,
    new: NewCustomer,
    share_token: str,
    *,
    finish: Finish | None = None,
) -> Customer:
    """Create and import in one call: nothing is written unless both succeed."""
    party = _party(actor)
    started = lifecycle.start(new_customer_id(), actor.tenant_id, new, party, utc_now())  # checks the request
    imported, digest = await _kyc_behind(storage, provider, actor.tenant_id, share_token, None)
    # The identity the request declared, so that a mismatch points at the request's own field.
    declared = CustomerChanges(
        identity={
            name: getattr(new.identity, name)
            for name in domain.PERSON_FIELDS
            if getattr(new.identity, name) is not None
        },
        pointers=new.pointers,
    )
    customer = started.customer
    importing = KycImported(imported, declared)
    imported_transition = lifecycle.apply(customer, importing, party, utc_now())
    from_provider = dict.fromkeys(domain.contacts_from_import(customer, imported, declared), provider.label)
    await storage.screener.refresh(storage.engine)
    new_hits = screening.new_hits_of([], storage.screener.screen(imported_transition.customer))
    after_start = (
        screening.raised_before(customer, importing, new_hits, party) if new_hits else [imported_transition]
    )
    return await _insert(
        storage,
        actor,
        [started, *after_start],
        also_write=_together(
            _applies(actor.tenant_id, digest, customer.id),
            _follows(
                storage, actor.tenant_id, customer.id, provider.name, imported.applicant_id, imported=True
            ),
        ),
        from_provider=from_provider,
        finish=finish,
        new_hits=new_hits,
    )


async def delete_customer(
    storage: Storage,
    actor: Actor,
    customer_id: str,
    *,
    expected_versions: frozenset[int] | None = None,
    erase_now: bool = False,
    finish: Finish | None = None,
) -> None:
    """Gone from the API at once, its email and phone freed. The encrypted record is kept for the
    retention period (the purge shreds it then), or shredded in the same transaction (``erase_now``:
    no retention)."""

    objects: list[str] = []

    async def then_shred(connection: Connection, deleted: Customer) -> None:
        if finish is not None:
            await finish(connection, deleted)
        objects.extend((await _shred_within(connection, storage, SYSTEM.acting_for(actor), deleted))[1])

    await _modify(
        storage,
        actor,
        customer_id,
        Deleted(),
        expected_versions=expected_versions,
        finish=then_shred if erase_now else finish,
    )
    await _delete_objects(storage, objects)


# The retention purge acts as the back office: its audit events say so.
@dataclass(frozen=True, slots=True)
class _System:
    key_prefix: str = "system"
    role: str = "admin"

    def acting_for(self, actor: Actor) -> Actor:
        return Actor(actor.tenant_id, self.key_prefix, self.role, actor.request_id)

    def purging(self, tenant_id: str) -> Actor:
        return Actor(tenant_id, self.key_prefix, self.role, "retention-purge")

    def screening(self, tenant_id: str) -> Actor:
        return Actor(tenant_id, self.key_prefix, self.role, "sanctions-rescreen")


SYSTEM = _System()


async def erase_customer(
    storage: Storage,
    actor: Actor,
    customer_id: str,
    *,
    also_write: Callable[[Connection], Awaitable[None]] | None = None,
    finish: Finish | None = None,
) -> bool:
    """Shred a customer, live or deleted: its data key is destroyed, so nothing sealed for it opens
    with a key left in the database; its documents go (older copies: docs/data-protection.md). The
    audit event names only field paths, never a value. False: it was shredded already (nothing to do,
    ``finish`` not called); NotFound: the tenant never had it."""
    async with write_transaction(storage.engine) as connection:
        current = await repository.get(
            connection, storage.vault, actor.tenant_id, customer_id, for_update=True, deleted_too=True
        )
        if current is None:
            if await repository.exists_including_deleted(connection, actor.tenant_id, customer_id):
                return False
            raise NotFound(CUSTOMER_NOT_FOUND)
        if also_write is not None:
            await also_write(connection)
        erased, objects = await _shred_within(connection, storage, actor, current)
        if finish is not None:
            await finish(connection, erased)
    await _delete_objects(storage, objects)
    return True


async def _shred_within(
    connection: Connection, storage: Storage, actor: Actor, current: Customer
) -> tuple[Customer, list[str]]:
    """The customer shredded in the caller's transaction; the store's objects that held its files,
    for the caller to delete once that transaction has committed (their rows are gone with it)."""
    transition = lifecycle.apply(current, Erased(), _party(actor), utc_now())
    erased = transition.customer
    await repository.count_transition(connection, actor.tenant_id, current, erased)
    await _record(connection, storage, actor, transition, current)
    objects = await documents_repository.object_keys_of(connection, actor.tenant_id, current.id)
    await documents_repository.delete_for_customer(connection, actor.tenant_id, current.id)
    await hits.delete_for_customer(connection, actor.tenant_id, current.id)
    await applicants.forget(connection, actor.tenant_id, current.id)
    await applicants.forget_fetch(connection, actor.tenant_id, current.id)
    await repository.shred(connection, storage.vault, erased, erased.updated_at)
    return erased, objects


async def _delete_objects(storage: Storage, keys: list[str]) -> None:
    """A shredded customer's objects, deleted after the commit that shredded it (sealed under a key
    that no longer exists, they open for no one meanwhile); the store down: the sweep takes them."""
    if keys and storage.document_store is not None:
        with contextlib.suppress(DocumentStoreUnavailable):
            await storage.document_store.delete(keys)


async def purge_expired(storage: Storage, deleted_before: datetime, *, batch: int = 200) -> int:
    """Shred every tenant's customers deleted before ``deleted_before`` (the retention's end);
    returns how many. Safe to run in several processes at once (an erased customer is skipped)."""
    purged = 0
    while True:
        async with db.connect(storage.engine) as connection:
            expired = await repository.expired_any_tenant(connection, deleted_before, batch)
        for tenant_id, customer_id in expired:
            # False: another process shredded it first.
            purged += await erase_customer(storage, SYSTEM.purging(tenant_id), customer_id)
        if len(expired) < batch:
            return purged


async def seal_for(
    connection: Connection, storage: Storage, tenant_id: str, customer_id: str, field: str, data: bytes
) -> bytes:
    """Seal something personal that is not the customer row (a kept answer) under its customer's key."""
    key = await repository.data_key(connection, storage.vault, tenant_id, customer_id)
    return key.seal(data, context(customer_id, field))


async def open_for(storage: Storage, tenant_id: str, customer_id: str, field: str, sealed: bytes) -> bytes:
    """Open what ``seal_for`` sealed, while the customer is live; IdempotentAnswerGone once deleted."""
    async with db.connect(storage.engine) as connection:
        customer = await repository.get(connection, storage.vault, tenant_id, customer_id)
        if customer is None:
            raise IdempotentAnswerGone()
        key = await repository.data_key(connection, storage.vault, tenant_id, customer_id)
    return key.open(sealed, context(customer_id, field))


@dataclass(frozen=True, slots=True)
class Upload:
    document_type: DocumentType
    country: str | None
    content: bytes


async def add_document(
    storage: Storage,
    actor: Actor,
    customer_id: str,
    upload: Upload,
    *,
    max_pixels: int = MAX_DOCUMENT_PIXELS,
    finish: Callable[[Connection, StoredDocument], Awaitable[None]] | None = None,
) -> tuple[StoredDocument, Customer]:
    """A file, checked before anything is stored (its real type, its pixels; not one the customer has
    already), then stored sealed with the customer's new pending document, in one write."""
    content_type = checked_content_type(upload.content, max_pixels=max_pixels)
    content_index = storage.vault.blind_index.document(actor.tenant_id, customer_id, upload.content)
    now = utc_now()
    stored = StoredDocument(
        id="document_" + uuid.uuid4().hex,
        tenant_id=actor.tenant_id,
        customer_id=customer_id,
        document_type=upload.document_type.value,
        country=upload.country,
        content_type=content_type,
        size_bytes=len(upload.content),
        source="upload",
        created_at=now,
    )
    summary = DocumentSummary(
        id=stored.id, type=upload.document_type, status=DocumentStatus.pending, created_at=now
    )

    async def finish_with_document(connection: Connection, customer: Customer) -> None:
        if finish is not None:
            await finish(connection, stored)

    def written(sealed: Callable[[DataKey], Sealed]) -> Callable[[Connection], Awaitable[None]]:
        async def insert_document(connection: Connection) -> None:
            if await documents_repository.has_content(
                connection, actor.tenant_id, customer_id, content_index
            ):
                raise DuplicateDocument(pointer="/file")
            key = await repository.data_key(connection, storage.vault, actor.tenant_id, customer_id)
            await documents_repository.insert(connection, stored, sealed(key), content_index)

        return insert_document

    async def add(sealed: Callable[[DataKey], Sealed]) -> Customer:
        return await _modify(
            storage,
            actor,
            customer_id,
            DocumentAdded(summary),
            also_write=written(sealed),
            finish=finish_with_document,
        )

    store = storage.document_store
    if store is None:  # the sealed file in the row, in the write's own transaction
        return stored, await add(lambda key: Sealed(content=key.seal(upload.content, sealed_at(stored))))
    # An object store: the sealed file put first (``holding``), then the row naming it.
    async with db.connect(storage.engine) as connection:
        if await repository.get(connection, storage.vault, actor.tenant_id, customer_id) is None:
            raise NotFound(CUSTOMER_NOT_FOUND)
        if await documents_repository.has_content(connection, actor.tenant_id, customer_id, content_index):
            raise DuplicateDocument(pointer="/file")
        key = await repository.data_key(connection, storage.vault, actor.tenant_id, customer_id)
    object_key = store.key_of(actor.tenant_id, customer_id, stored.id)
    async with store.holding(object_key, key.seal(upload.content, sealed_at(stored))):
        updated = await add(lambda _: Sealed(object_key=object_key))
    return stored, updated


async def document_files(storage: Storage, tenant_id: str, customer_id: str) -> dict[str, list[HeldFile]]:
    """The files kycrail holds of each of the customer's documents, by the summary's document id: an
    upload's own file, or the pages fetched from the provider of a document it verified."""
    async with db.connect(storage.engine) as connection:
        held = await documents_repository.files_of(connection, tenant_id, customer_id)
    files: dict[str, list[HeldFile]] = {}
    for file in held:
        files.setdefault(file.summary_id, []).append(file)
    return files


async def read_document(
    storage: Storage,
    actor: Actor,
    customer_id: str,
    document_id: str,
    *,
    kind: EventKind = EventKind.document_viewed,
) -> tuple[StoredDocument, bytes]:
    """A live customer's uploaded file, opened, and the read in the audit trail (who, which document):
    a person looking at an identity document (``document.viewed``, the console), or a key reading it
    (``document.read``, the API), is on the record."""
    async with db.connect(storage.engine) as connection:
        current = await repository.get(connection, storage.vault, actor.tenant_id, customer_id)
        if current is None:
            raise NotFound(CUSTOMER_NOT_FOUND)
        key = await repository.data_key(connection, storage.vault, actor.tenant_id, customer_id)
        found = await documents_repository.locate(connection, actor.tenant_id, customer_id, document_id)
    if found is None:
        raise NotFound("Document not found")
    document, sealed = found
    if sealed.content is not None:
        content = key.open(sealed.content, sealed_at(document))
    else:
        content = key.open(await _store_of(storage).get(str(sealed.object_key)), sealed_at(document))
    async with write_transaction(storage.engine) as connection:  # read, so on the record
        read = [{"field": "document", "to": document_id}]
        await on_the_record(connection, actor, customer_id, kind, read)
    return document, content


def _store_of(storage: Storage) -> S3Store:
    if storage.document_store is None:
        raise DocumentStoreUnavailable("This document is in an object store this process is not set up for.")
    return storage.document_store


async def on_the_record(
    connection: Connection, actor: Actor, customer_id: str, kind: EventKind, changes: list[dict[str, Any]]
) -> None:
    """An audit event for what changes nothing of the customer but must be on the record (a person
    viewing a document, a decision proposed or withdrawn), in the caller's transaction. ``changes``
    name things (a document, criteria), never personal values."""
    event = AuditEvent(
        id=0,
        customer_id=customer_id,
        kind=kind.value,
        key_prefix=actor.key_prefix,
        role=actor.role,
        request_id=actor.request_id,
        changes=[{"from": None, **change} for change in changes],
        occurred_at=utc_now(),
        operator_id=actor.operator_id,
    )
    await repository.insert_event(connection, actor.tenant_id, event)


@dataclass(frozen=True, slots=True)
class ReviewRequest:
    decision: ReviewDecision  # approved, rejected, or reopened (a final rejection taken back)
    final: bool
    reasons: tuple[ReviewReason, ...]


async def review_customer(
    storage: Storage,
    actor: Actor,
    customer_id: str,
    request: ReviewRequest,
    *,
    expected_versions: frozenset[int] | None = None,
    also_write: Callable[[Connection], Awaitable[None]] | None = None,
    finish: Finish | None = None,
) -> Customer:
    """A reviewer's decision, through the lifecycle. ``expected_versions``: the versions the decision
    was made on (If-Match; the console's page); ``also_write`` joins the decision's transaction."""
    reopening = request.decision is ReviewDecision.reopened
    review = Review(
        decision=request.decision,
        final=request.final and not reopening,
        reasons=request.reasons,
        reviewed_at=utc_now(),
        reviewer=actor.operator_id or actor.key_prefix,
    )
    event = Reopened(review) if reopening else ReviewDecided(review)
    return await _modify(
        storage,
        actor,
        customer_id,
        event,
        expected_versions=expected_versions,
        also_write=also_write,
        finish=finish,
    )
