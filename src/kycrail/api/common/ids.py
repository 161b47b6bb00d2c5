"""Path parameters both dialects share."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path

from kycrail.customers.service import CUSTOMER_NOT_FOUND
from kycrail.documents.service import DOCUMENT_NOT_FOUND
from kycrail.errors import NotFound
from kycrail.screening.hits import HIT_NOT_FOUND
from kycrail.webhooks.service import ENDPOINT_NOT_FOUND


def _documented(shape: re.Pattern[str]) -> object:
    """The id's shape, in the document (checked here, not by FastAPI: a malformed id is a 404)."""
    return Path(json_schema_extra={"pattern": shape.pattern})


# Sphere's id shape: anything else cannot exist, so it is a 404 like any unknown id (never a 422
# that would tell a prober which ids are well-formed).
_CUSTOMER_ID = re.compile(r"^customer_[a-z0-9]{1,64}$")


async def checked_customer_id(customer_id: Annotated[str, _documented(_CUSTOMER_ID)]) -> str:
    if not _CUSTOMER_ID.fullmatch(customer_id):
        raise NotFound(CUSTOMER_NOT_FOUND)
    return customer_id


_WEBHOOK_ID = re.compile(r"^whk_[a-f0-9]{32}$")


async def checked_webhook_id(webhook_id: Annotated[str, _documented(_WEBHOOK_ID)]) -> str:
    if not _WEBHOOK_ID.fullmatch(webhook_id):
        raise NotFound(ENDPOINT_NOT_FOUND)
    return webhook_id


_DOCUMENT_ID = re.compile(r"^document_[a-f0-9]{32}$")


async def checked_document_id(document_id: Annotated[str, _documented(_DOCUMENT_ID)]) -> str:
    if not _DOCUMENT_ID.fullmatch(document_id):
        raise NotFound(DOCUMENT_NOT_FOUND)
    return document_id


_HIT_ID = re.compile(r"^hit_[a-f0-9]{32}$")


async def checked_hit_id(hit_id: Annotated[str, _documented(_HIT_ID)]) -> str:
    if not _HIT_ID.fullmatch(hit_id):
        raise NotFound(HIT_NOT_FOUND)
    return hit_id
