"""``/v1/customers`` routes (Swipelux dialect)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kycrail.api.common.auth import CurrentPrincipal

router = APIRouter(prefix="/v1", tags=["Swipelux v1"])
MAX_PAGE_SIZE = 100


@router.get("/customers", summary="List customers")
async def list_customers(
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, object]:
    # The customer store arrives with issue 3; until then every tenant's list is empty.
    return {"data": [], "total": 0, "limit": limit, "offset": offset}
