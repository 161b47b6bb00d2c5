"""The queue: customers awaiting a decision, oldest submission first; take, release, next."""

from __future__ import annotations

from typing import Literal, cast

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from kycrail.console import guard, pages, views
from kycrail.console.sessions import resources_of
from kycrail.customers.model import CustomerType
from kycrail.errors import KycrailError
from kycrail.operators import service as operators
from kycrail.reviews import service as reviews
from kycrail.reviews.repository import Whose

router = APIRouter(prefix="/console", include_in_schema=False)

STATUSES = ("pending", "incomplete", "approved", "rejected", "all")
TYPES = ("any", "individual", "business")
WHOSE: tuple[Whose, ...] = ("anyone", "mine", "unassigned")


def _choice(value: str | None, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else allowed[0]


@router.get("")
async def home() -> Response:
    return pages.see_other("/console/queue")


@router.get("/queue")
async def queue_page(request: Request) -> Response:
    signed = await guard.operator(request)
    query = request.query_params
    status = _choice(query.get("status"), STATUSES)
    kind = _choice(query.get("type"), TYPES)
    whose = cast(Whose, _choice(query.get("whose"), WHOSE))
    asked = query.get("page", "")
    page_number = int(asked) if asked.isdigit() and 0 < len(asked) < 7 and int(asked) > 0 else 1
    storage = resources_of(request).storage
    found = await reviews.queue(
        storage,
        signed.operator,
        status=None if status == "all" else status,
        customer_type=None if kind == "any" else CustomerType(kind),
        whose=whose,
        page=page_number,
    )
    holders = {item.assigned_to for item in found.items if item.assigned_to}
    emails = {
        operator_id: operator.email
        for operator_id, operator in (
            await operators.operators_by_id(storage, signed.operator.tenant_id, holders)
        ).items()
    }
    rows = [
        {
            "id": item.customer.id,
            "name": views.display_name(item.customer),
            "type": item.customer.type.value,
            "submitted_at": item.customer.submitted_at,
            "created_at": item.customer.created_at,
            "holder": emails.get(item.assigned_to or "", ""),
            "mine": item.assigned_to == signed.operator.id,
        }
        for item in found.items
    ]
    pages_count = max(1, -(-found.total // reviews.PAGE_SIZE))
    values = guard.context(
        request,
        signed,
        rows=rows,
        total=found.total,
        page=page_number,
        pages_count=pages_count,
        filters={"status": status, "type": kind, "whose": whose},
        statuses=STATUSES,
        types=TYPES,
        whose_choices=WHOSE,
        notice=query.get("notice", "")[:40],
    )
    return pages.page("queue.html", **values)


async def _act(request: Request, action: Literal["take", "release"], customer_id: str) -> Response:
    signed, form = await guard.operator_posting(request)
    storage = resources_of(request).storage
    try:
        if action == "take":
            await reviews.take(storage, signed.operator, customer_id)
        else:
            await reviews.release(storage, signed.operator, customer_id)
    except KycrailError as error:
        return pages.page(
            "message.html",
            status=404 if "not found" in error.detail.lower() else 403,
            **guard.context(request, signed, title="Not done", message=error.detail),
        )
    back = str(form.get("back", ""))
    return pages.see_other(back if _own_page(back) else "/console/queue")


def _own_page(path: str) -> bool:
    """Whether a form's "back" names a console page (never another site)."""
    return path.startswith("/console/") and "//" not in path and "\\" not in path


@router.post("/customers/{customer_id}/take")
async def take(request: Request, customer_id: str) -> Response:
    return await _act(request, "take", customer_id)


@router.post("/customers/{customer_id}/release")
async def release(request: Request, customer_id: str) -> Response:
    return await _act(request, "release", customer_id)


@router.post("/queue/next")
async def take_next(request: Request) -> Response:
    signed, _ = await guard.operator_posting(request)
    customer_id = await reviews.take_next(resources_of(request).storage, signed.operator)
    if customer_id is None:
        return pages.see_other("/console/queue?notice=empty")
    return pages.see_other(f"/console/customers/{customer_id}")
