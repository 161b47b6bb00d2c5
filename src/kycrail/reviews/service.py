"""The review desk's use cases: the queue, taking and releasing customers, the decisions operators make
(through ``customers.service``, so through the same lifecycle as the API's), four eyes, and notes.

A decision names the customer's version it was made on: a decision made on a page that is out of
date is refused (``PreconditionFailed``), never applied over someone else's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import orjson

from kycrail import db
from kycrail.customers import repository as customers_repository
from kycrail.customers import service as customers
from kycrail.customers.audit import Actor, EventKind
from kycrail.customers.model import Customer, CustomerType, ReviewDecision, ReviewReason
from kycrail.customers.verification import ProfileStatus, verification_profile
from kycrail.db import utc_now, write_transaction
from kycrail.driver.base import Connection
from kycrail.errors import Forbidden, NotFound, PreconditionFailed, ReasonsRequired, ReviewNotPending
from kycrail.operators.model import Operator, OperatorRole
from kycrail.reviews import repository
from kycrail.reviews.repository import Whose
from kycrail.storage import Storage
from kycrail.vault.envelope import context

CONSOLE = "console"  # the key prefix the audit trail shows for a person's decision (beside their id)
PAGE_SIZE = 50
_NOTE_FIELD = "review_notes.note"
_PROPOSAL_FIELD = "review_proposals.sealed"


class Choice(StrEnum):
    approve = "approve"
    send_back = "send_back"  # criteria to supply again (a rejection that is not final)
    reject = "reject"  # for good: only a reopening takes it back
    reopen = "reopen"  # admins: a final rejection taken back
    erase = "erase"  # admins: a data subject's request


@dataclass(frozen=True, slots=True)
class Decision:
    choice: Choice
    version: int  # the customer's version the operator's page showed
    reasons: tuple[ReviewReason, ...] = ()  # what the customer is told, per criterion
    note: str = ""  # for kycrail's reviewers only


class AwaitingSecondReview(Exception):
    """The decision is proposed: a second operator confirms it before it takes effect."""


class OwnProposal(Exception):
    """The operator who proposed a decision cannot confirm it."""


def actor_for(operator: Operator, request_id: str, *, erasing: bool = False) -> Actor:
    """A person's decision as the lifecycle sees it: a reviewer's (admins review too), or, for an
    erasure, the back office's; the audit trail names the operator."""
    role = OperatorRole.admin.value if erasing else "reviewer"
    return Actor(operator.tenant_id, CONSOLE, role, request_id, operator_id=operator.id)


@dataclass(frozen=True, slots=True)
class QueueItem:
    customer: Customer
    assigned_to: str | None  # an operator id
    taken_at: datetime | None


@dataclass(frozen=True, slots=True)
class QueuePage:
    items: list[QueueItem]
    total: int


async def queue(
    storage: Storage,
    operator: Operator,
    *,
    status: str | None,
    customer_type: CustomerType | None,
    whose: Whose,
    page: int,
) -> QueuePage:
    async with db.connect(storage.engine) as connection:
        found, total = await repository.queue_page(
            connection,
            storage.vault,
            operator.tenant_id,
            operator.id,
            status=status,
            customer_type=customer_type,
            whose=whose,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
    return QueuePage([QueueItem(*item) for item in found], total)


async def take(storage: Storage, operator: Operator, customer_id: str) -> None:
    """Assigns the customer to ``operator``, over whoever held it (taking is advisory)."""
    now = utc_now()
    async with write_transaction(storage.engine) as connection:
        if await customers_repository.get(connection, storage.vault, operator.tenant_id, customer_id) is None:
            raise NotFound("Customer not found")
        if not await repository.assign(connection, operator.tenant_id, customer_id, operator.id, now):
            await repository.reassign(connection, operator.tenant_id, customer_id, operator.id, now)


async def release(storage: Storage, operator: Operator, customer_id: str) -> None:
    """Gives the customer back to the queue: one's own, or (an admin) anyone's."""
    async with write_transaction(storage.engine) as connection:
        held = await repository.assignment(connection, operator.tenant_id, customer_id)
        if held is None:
            return
        if held.operator_id != operator.id and operator.role is not OperatorRole.admin:
            raise Forbidden("Only the operator who took this customer, or an admin, can release it.")
        await repository.release(connection, operator.tenant_id, customer_id)


async def take_next(storage: Storage, operator: Operator) -> str | None:
    """The oldest unassigned customer awaiting a decision, now taken by ``operator``; None: none left.
    Two operators asking at once get two customers."""
    for _ in range(20):
        async with write_transaction(storage.engine) as connection:
            customer_id = await repository.oldest_unassigned(connection, operator.tenant_id, "pending")
            if customer_id is None:
                return None
            if await repository.assign(connection, operator.tenant_id, customer_id, operator.id, utc_now()):
                return customer_id
    return None


@dataclass(frozen=True, slots=True)
class Note:
    operator_id: str
    text: str
    written_at: datetime


@dataclass(frozen=True, slots=True)
class Proposal:
    operator_id: str
    decision: Decision
    proposed_at: datetime


@dataclass(frozen=True, slots=True)
class Desk:
    """What the desk holds on one customer."""

    assigned_to: str | None
    taken_at: datetime | None
    proposal: Proposal | None
    notes: list[Note]


def _decision_document(decision: Decision) -> bytes:
    return orjson.dumps(
        {
            "choice": decision.choice.value,
            "version": decision.version,
            "reasons": [[r.criterion, r.message] for r in decision.reasons],
            "note": decision.note,
        }
    )


def _decision_from(document: bytes) -> Decision:
    data = orjson.loads(document)
    return Decision(
        choice=Choice(data["choice"]),
        version=data["version"],
        reasons=tuple(ReviewReason(criterion, message) for criterion, message in data["reasons"]),
        note=data["note"],
    )


async def desk(storage: Storage, tenant_id: str, customer_id: str) -> Desk:
    async with db.connect(storage.engine) as connection:
        held = await repository.assignment(connection, tenant_id, customer_id)
        proposed = await repository.proposal(connection, tenant_id, customer_id)
        rows = await repository.notes(connection, tenant_id, customer_id)
        if not proposed and not rows:
            return Desk(held.operator_id if held else None, held.taken_at if held else None, None, [])
        key = await customers_repository.data_key(connection, storage.vault, tenant_id, customer_id)
    notes = [
        Note(
            row.operator_id,
            key.open(bytes(row.note), context(customer_id, _NOTE_FIELD)).decode(),
            row.written_at,
        )
        for row in rows
    ]
    proposal = None
    if proposed is not None:
        document = key.open(bytes(proposed.sealed), context(customer_id, _PROPOSAL_FIELD))
        proposal = Proposal(proposed.operator_id, _decision_from(document), proposed.proposed_at)
    return Desk(held.operator_id if held else None, held.taken_at if held else None, proposal, notes)


async def _add_note(
    connection: Connection, storage: Storage, operator: Operator, customer_id: str, note: str
) -> None:
    if not note.strip():
        return
    sealed = await customers.seal_for(
        connection, storage, operator.tenant_id, customer_id, _NOTE_FIELD, note.encode()
    )
    values = {
        "tenant_id": operator.tenant_id,
        "customer_id": customer_id,
        "operator_id": operator.id,
        "note": sealed,
        "written_at": utc_now(),
    }
    await repository.add_note(connection, values)


def _deciding(
    storage: Storage, operator: Operator, customer_id: str, note: str
) -> Callable[[Connection], Awaitable[None]]:
    """What a decision writes beside the customer, in its transaction: its note; no proposal stays
    open and nobody holds the customer any more (the decision was made)."""

    async def write(connection: Connection) -> None:
        await repository.withdraw(connection, operator.tenant_id, customer_id)
        await repository.release(connection, operator.tenant_id, customer_id)  # off everyone's desk
        await _add_note(connection, storage, operator, customer_id, note)

    return write


def needs_second_review(decision: Decision) -> bool:
    """What four eyes hold back until a second operator confirms it: a final rejection. (An approval
    despite an open screening hit joins it once screening exists.)"""
    return decision.choice is Choice.reject


async def decide(
    storage: Storage,
    operator: Operator,
    customer_id: str,
    decision: Decision,
    *,
    request_id: str,
    four_eyes: bool,
) -> Customer | None:
    """Carries out ``decision`` (None: the customer was erased); AwaitingSecondReview when four eyes
    hold it back as a proposal. PreconditionFailed: the customer changed since the page was opened."""
    if decision.choice in (Choice.reopen, Choice.erase) and operator.role is not OperatorRole.admin:
        raise Forbidden("Only an admin can do this.")
    if decision.choice is Choice.erase:
        await _erase(storage, operator, customer_id, request_id)
        return None
    if four_eyes and needs_second_review(decision):
        await _propose(storage, operator, customer_id, decision, request_id)
        raise AwaitingSecondReview()
    return await _apply(storage, operator, customer_id, decision, request_id)


async def _apply(
    storage: Storage, operator: Operator, customer_id: str, decision: Decision, request_id: str
) -> Customer:
    review = customers.ReviewRequest(
        decision={
            Choice.approve: ReviewDecision.approved,
            Choice.send_back: ReviewDecision.rejected,
            Choice.reject: ReviewDecision.rejected,
            Choice.reopen: ReviewDecision.reopened,
        }[decision.choice],
        final=decision.choice is Choice.reject,
        reasons=decision.reasons,
    )
    return await customers.review_customer(
        storage,
        actor_for(operator, request_id),
        customer_id,
        review,
        expected_versions=frozenset({decision.version}),
        also_write=_deciding(storage, operator, customer_id, decision.note),
    )


async def _erase(storage: Storage, operator: Operator, customer_id: str, request_id: str) -> None:
    async def forget(connection: Connection) -> None:
        await repository.forget_customer(connection, operator.tenant_id, customer_id)

    actor = actor_for(operator, request_id, erasing=True)
    await customers.erase_customer(storage, actor, customer_id, also_write=forget)


async def _propose(
    storage: Storage, operator: Operator, customer_id: str, decision: Decision, request_id: str
) -> None:
    async with write_transaction(storage.engine) as connection:
        current = await customers_repository.get(connection, storage.vault, operator.tenant_id, customer_id)
        if current is None:
            raise NotFound("Customer not found")
        customers.check_version(current, frozenset({decision.version}))
        if verification_profile(current).status is not ProfileStatus.pending:
            raise ReviewNotPending()
        if not decision.reasons:
            raise ReasonsRequired()
        # The note is the proposer's, written now; what a confirmation applies is the rest.
        await _add_note(connection, storage, operator, customer_id, decision.note)
        proposed_decision = Decision(decision.choice, decision.version, decision.reasons)
        sealed = await customers.seal_for(
            connection,
            storage,
            operator.tenant_id,
            customer_id,
            _PROPOSAL_FIELD,
            _decision_document(proposed_decision),
        )
        proposed = await repository.propose(
            connection,
            {
                "customer_id": customer_id,
                "tenant_id": operator.tenant_id,
                "operator_id": operator.id,
                "decision": decision.choice.value,
                "customer_version": decision.version,
                "sealed": sealed,
                "proposed_at": utc_now(),
            },
        )
        if not proposed:
            raise PreconditionFailed("Another decision awaits a second review already.")
        # The proposer is on the record: the decision, once confirmed, names the confirmer.
        criteria = [reason.criterion for reason in decision.reasons]
        await customers.on_the_record(
            connection,
            actor_for(operator, request_id),
            customer_id,
            EventKind.review_proposed,
            [{"field": "decision", "to": decision.choice.value}, {"field": "criteria", "to": criteria}],
        )


async def confirm(storage: Storage, operator: Operator, customer_id: str, *, request_id: str) -> Customer:
    """The second operator confirms the open proposal: it takes effect, as proposed, on the version it
    was proposed on. OwnProposal: the proposer cannot; NotFound: nothing awaits a second review."""
    found = (await desk(storage, operator.tenant_id, customer_id)).proposal
    if found is None:
        raise NotFound("Nothing awaits a second review.")
    if found.operator_id == operator.id:
        raise OwnProposal()
    return await _apply(storage, operator, customer_id, found.decision, request_id)


async def withdraw(storage: Storage, operator: Operator, customer_id: str, *, request_id: str) -> None:
    """The open proposal is dropped (by its proposer, or a second operator who disagrees), on the
    record."""
    async with write_transaction(storage.engine) as connection:
        found = await repository.proposal(connection, operator.tenant_id, customer_id)
        if found is None:
            return
        await repository.withdraw(connection, operator.tenant_id, customer_id)
        await customers.on_the_record(
            connection,
            actor_for(operator, request_id),
            customer_id,
            EventKind.review_withdrawn,
            [{"field": "decision", "to": found.decision}],
        )
