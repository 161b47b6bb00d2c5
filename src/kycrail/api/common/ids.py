"""Path parameters both dialects share."""

from __future__ import annotations

import re

from kycrail.customers.service import CUSTOMER_NOT_FOUND
from kycrail.errors import NotFound

# Sphere's id shape: anything else cannot exist, so it is a 404 like any unknown id (never a 422
# that would tell a prober which ids are well-formed).
_CUSTOMER_ID = re.compile(r"^customer_[a-z0-9]{1,64}$")


async def checked_customer_id(customer_id: str) -> str:
    if not _CUSTOMER_ID.fullmatch(customer_id):
        raise NotFound(CUSTOMER_NOT_FOUND)
    return customer_id
