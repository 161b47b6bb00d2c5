"""A customer's page (identity, criteria, documents, the provider's word, the trail, deliveries), its
documents' files, and the decisions made on it."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kycrail.api.common.middleware.auth import request_id
from kycrail.console import guard, pages, views
from kycrail.console.sessions import resources_of
from kycrail.customers import service as customers
from kycrail.customers.model import ReviewReason
from kycrail.customers.verification import SANCTIONS_SCREENING, verification_profile
from kycrail.errors import Forbidden, KycrailError, NotFound, PreconditionFailed
from kycrail.operators import service as operators
from kycrail.operators.model import OperatorRole, SignedIn
from kycrail.reviews import service as reviews
from kycrail.reviews.service import Choice, Decision
from kycrail.screening import hits
from kycrail.screening.hits import Resolution
from kycrail.webhooks import service as webhooks

router = APIRouter(prefix="/console", include_in_schema=False)

MAX_REASON = 500
MAX_NOTE = 2000
# What a redirect after a decision says: fixed words, chosen by a key (never text from the URL).
NOTICES = {
    "approve": "Approved.",
    "send_back": "Sent back: the customer is asked for the criteria you named.",
    "reject": "Rejected for good.",
    "reopen": "Reopened.",
    "proposed": "Proposed: a second operator must confirm it before it takes effect.",
    "confirmed": "Confirmed: the decision took effect.",
    "withdrawn": "The proposal was withdrawn.",
    "false_positive": "The hit was cleared as a false positive.",
    "true_match": "The hit was confirmed: the customer is rejected for good.",
}
CHANGED = "The customer changed since you opened it: nothing was done. This is how it is now."


async def _refused(request: Request, signed: SignedIn, customer_id: str, error: KycrailError) -> Response:
    """The page again, as it is now, saying why a decision was refused: the page was out of date, a
    rule of the lifecycle, a role."""
    status = 404 if isinstance(error, NotFound) else 403 if isinstance(error, Forbidden) else 409
    message = CHANGED if isinstance(error, PreconditionFailed) else error.detail
    return await _customer_page(request, signed, customer_id, error=message, status=status)


async def _customer_page(
    request: Request, signed: SignedIn, customer_id: str, *, error: str | None = None, status: int = 200
) -> Response:
    storage = resources_of(request).storage
    tenant_id = signed.operator.tenant_id
    try:
        customer = await customers.get_customer(storage, tenant_id, customer_id)
    except NotFound:
        values = guard.context(request, signed, title="Not found", message="No such customer.")
        return pages.page("message.html", status=404, **values)
    profile = verification_profile(customer)
    desk = await reviews.desk(storage, tenant_id, customer_id)
    trail = await customers.list_events(storage, tenant_id, customer_id, limit=200, offset=0)
    deliveries = await webhooks.customer_deliveries(storage, tenant_id, customer_id)
    files = await customers.document_files(storage, tenant_id, customer_id)
    screening_hits = await hits.views_of(storage, tenant_id, customer_id)
    people = {desk.assigned_to, *(note.operator_id for note in desk.notes)}
    people |= {event.operator_id for event in trail.events} | {hit.resolved_by for hit in screening_hits}
    if desk.proposal is not None:
        people.add(desk.proposal.operator_id)
    emails = {
        operator_id: operator.email
        for operator_id, operator in (
            await operators.operators_by_id(storage, tenant_id, {p for p in people if p})
        ).items()
    }
    criteria = profile.criteria
    values = guard.context(
        request,
        signed,
        customer=customer,
        name=views.display_name(customer),
        address=views.address_lines(customer.address),
        profile=profile,
        criteria_names=[
            *criteria.complete,
            *(name for name in criteria.pending if name != SANCTIONS_SCREENING),  # resolved per hit
            *criteria.required,
            *(error.name for error in criteria.errors),
        ],
        hits=screening_hits,
        desk=desk,
        trail=trail.events,
        deliveries=deliveries,
        files=files,
        emails=emails,
        is_admin=signed.operator.role is OperatorRole.admin,
        four_eyes=resources_of(request).settings.four_eyes_on,
        notice=NOTICES.get(request.query_params.get("done", "")),
        error=error,
    )
    return pages.page("customer.html", status=status, **values)


@router.get("/customers/{customer_id}")
async def customer_page(request: Request, customer_id: str) -> Response:
    signed = await guard.operator(request)
    return await _customer_page(request, signed, customer_id)


@router.get("/customers/{customer_id}/documents/{document_id}")
async def document(request: Request, customer_id: str, document_id: str) -> Response:
    """The file, shown by the browser (an image inline, a PDF in its viewer); each view is audited."""
    signed = await guard.operator(request)
    actor = reviews.actor_for(signed.operator, request_id(request))
    try:
        stored, content = await customers.read_document(
            resources_of(request).storage, actor, customer_id, document_id
        )
    except NotFound:
        values = guard.context(request, signed, title="Not found", message="No such document.")
        return pages.page("message.html", status=404, **values)
    headers = {
        **pages.HEADERS,
        "Content-Disposition": f'inline; filename="{stored.id}"',
        # A file never runs anything: no script, even if a browser took it for a page.
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
    }
    return Response(content, media_type=stored.content_type, headers=headers)


def _reasons(form: FormData) -> tuple[ReviewReason, ...]:
    """The criteria ticked, each with the reason typed beside it (what the customer is told)."""
    reasons = []
    for criterion in form.getlist("criterion"):
        if isinstance(criterion, str) and len(criterion) <= 64:
            message = str(form.get(f"reason.{criterion}", "")).strip()[:MAX_REASON]
            reasons.append(ReviewReason(criterion, message or "Please supply this again."))
    return tuple(reasons)


def _version(form: FormData) -> int:
    value = str(form.get("version", ""))
    return int(value) if value.isdigit() and len(value) < 10 else -1


@router.post("/customers/{customer_id}/decide")
async def decide(request: Request, customer_id: str) -> Response:
    signed, form = await guard.operator_posting(request)
    try:
        choice = Choice(str(form.get("choice", "")))
    except ValueError:
        return await _customer_page(request, signed, customer_id, error="Choose a decision.", status=400)
    if choice is Choice.erase and str(form.get("confirm_id", "")).strip() != customer_id:
        error = "Type the customer's id to erase it."
        return await _customer_page(request, signed, customer_id, error=error, status=400)
    decision = Decision(
        choice=choice,
        version=_version(form),
        reasons=_reasons(form) if choice in (Choice.send_back, Choice.reject) else (),
        note=str(form.get("note", "")).strip()[:MAX_NOTE],
    )
    settings = resources_of(request).settings
    try:
        await reviews.decide(
            resources_of(request).storage,
            signed.operator,
            customer_id,
            decision,
            request_id=request_id(request),
            four_eyes=settings.four_eyes_on,
        )
    except reviews.AwaitingSecondReview:
        return pages.see_other(f"/console/customers/{customer_id}?done=proposed")
    except KycrailError as refused:
        return await _refused(request, signed, customer_id, refused)
    if choice is Choice.erase:
        return pages.see_other("/console/queue?notice=erased")
    return pages.see_other(f"/console/customers/{customer_id}?done={choice.value}")


@router.post("/customers/{customer_id}/proposal")
async def proposal(request: Request, customer_id: str) -> Response:
    """The second operator's answer to a proposal: confirm it, or withdraw it."""
    signed, form = await guard.operator_posting(request)
    storage = resources_of(request).storage
    if form.get("answer") == "withdraw":
        await reviews.withdraw(storage, signed.operator, customer_id, request_id=request_id(request))
        return pages.see_other(f"/console/customers/{customer_id}?done=withdrawn")
    try:
        await reviews.confirm(storage, signed.operator, customer_id, request_id=request_id(request))
    except reviews.OwnProposal:
        error = "You proposed this decision: a second operator must confirm it."
        return await _customer_page(request, signed, customer_id, error=error, status=403)
    except KycrailError as refused:
        return await _refused(request, signed, customer_id, refused)
    return pages.see_other(f"/console/customers/{customer_id}?done=confirmed")


@router.post("/customers/{customer_id}/screening/{hit_id}")
async def resolve_hit(request: Request, customer_id: str, hit_id: str) -> Response:
    """A reviewer's word on a sanctions screening hit: a false positive, or a true match."""
    signed, form = await guard.operator_posting(request)
    try:
        resolution = Resolution(str(form.get("resolution", "")))
    except ValueError:
        return await _customer_page(request, signed, customer_id, error="Choose a resolution.", status=400)
    reason = str(form.get("reason", "")).strip()[:MAX_REASON]
    if not reason:
        error = "Say why: the reason stays with the hit."
        return await _customer_page(request, signed, customer_id, error=error, status=400)
    actor = reviews.actor_for(signed.operator, request_id(request))
    try:
        await hits.resolve(resources_of(request).storage, actor, customer_id, hit_id, resolution, reason)
    except KycrailError as refused:
        return await _refused(request, signed, customer_id, refused)
    return pages.see_other(f"/console/customers/{customer_id}?done={resolution.value}")
