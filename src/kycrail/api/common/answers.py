"""A write's answer, rendered inside the write's transaction.

A service calls the answer last, before it commits: if rendering fails, nothing is written (no 500
after a commit, by construction), and under an ``Idempotency-Key`` the answer is kept for retries in
that same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from starlette.requests import Request
from starlette.responses import Response

from kycrail.api.common.idempotency import keep_within
from kycrail.customers import service
from kycrail.customers.audit import Actor
from kycrail.customers.model import Customer
from kycrail.driver.base import Connection
from kycrail.storage import Storage

T = TypeVar("T")


def _customer_of(result: object) -> str:
    if isinstance(result, Customer):
        return result.id
    customer_id = getattr(result, "customer_id", None)  # a document, a screening hit
    if isinstance(customer_id, str):
        return customer_id
    raise TypeError(f"no customer in {type(result).__name__}")


class WriteAnswer(Generic[T]):
    """Pass it as a service's ``finish``; return ``response`` once the service has returned.

    The answer is about a customer (``personal``): kept for retries, it is sealed under that
    customer's data key. An answer that carries nothing personal (a 204) is kept as it is."""

    def __init__(self, request: Request, render: Callable[[T], Response], *, personal: bool = True) -> None:
        self._scope = request.scope
        self._storage: Storage = request.app.state.resources.storage
        self._render = render
        self._personal = personal
        self._response: Response | None = None

    async def __call__(self, connection: Connection, result: T) -> None:
        response = self._render(result)
        customer_id = _customer_of(result) if self._personal else None
        await keep_within(connection, self._scope, response, self._storage, customer_id)
        self._response = response

    @property
    def response(self) -> Response:
        if self._response is None:
            raise RuntimeError("the write returned without rendering its answer")
        return self._response


DELETED_DESCRIPTION = (
    "The customer reads as not found from now on and its email and phone become free for a new "
    "customer. Its encrypted record is kept for the retention period (AML record keeping; "
    "`KYCRAIL_RETENTION_DAYS`, 0 shreds it at once), then shredded; its history is kept."
)


async def deleted(
    request: Request,
    storage: Storage,
    actor: Actor,
    customer_id: str,
    expected_versions: frozenset[int] | None,
) -> Response:
    """DELETE in either dialect: ``204``, nothing personal in the answer kept for retries. Without a
    retention period (``KYCRAIL_RETENTION_DAYS=0``) the customer is shredded in the same write."""
    answer: WriteAnswer[Customer] = WriteAnswer(request, lambda _: Response(status_code=204), personal=False)
    await service.delete_customer(
        storage,
        actor,
        customer_id,
        expected_versions=expected_versions,
        erase_now=request.app.state.resources.settings.retention_days == 0,
        finish=answer,
    )
    return answer.response
