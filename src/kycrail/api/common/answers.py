"""A write's answer, rendered inside the write's transaction.

A service calls the answer last, before it commits: if rendering fails, nothing is written (no 500
after a commit, by construction), and under an ``Idempotency-Key`` the answer is kept for retries in
that same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from kycrail.api.common.idempotency import keep_within

T = TypeVar("T")


class WriteAnswer(Generic[T]):
    """Pass it as a service's ``finish``; return ``response`` once the service has returned."""

    def __init__(self, request: Request, render: Callable[[T], Response]) -> None:
        self._scope = request.scope
        self._render = render
        self._response: Response | None = None

    async def __call__(self, connection: AsyncConnection, result: T) -> None:
        response = self._render(result)
        await keep_within(connection, self._scope, response)
        self._response = response

    @property
    def response(self) -> Response:
        if self._response is None:
            raise RuntimeError("the write returned without rendering its answer")
        return self._response
