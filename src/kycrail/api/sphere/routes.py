"""``/v2/customer`` routes (SpherePay dialect)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kycrail.api.common.auth import CurrentPrincipal

router = APIRouter(prefix="/v2", tags=["SpherePay v2"])
MAX_PAGE_SIZE = 100


@router.get("/customer", summary="List customers")
async def list_customers(
    principal: CurrentPrincipal,
    page: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 10,
) -> dict[str, object]:
    # The customer store arrives with issue 3; until then every tenant's list is empty.
    return {
        "customers": [],
        "pagination": {
            "page": page,
            "limit": limit,
            "total": 0,
            "totalPages": 0,
            "hasNext": False,
            "hasPrevious": page > 1,
        },
    }
