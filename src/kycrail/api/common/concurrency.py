"""Optimistic concurrency on the wire: ``ETag`` from the customer's version, ``If-Match`` on writes."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header

from kycrail.customers.model import Customer

_VERSION_TAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')
# What an If-Match that names none of our ETags asks for: a version no customer has, so the write is
# refused with 412 where versions are compared (after the body is validated, which may refuse first).
UNMATCHABLE_VERSION = -1


def etag(customer: Customer) -> str:
    return f'"{customer.version}"'


async def expected_version(
    if_match: Annotated[
        str | None,
        Header(
            description='Only apply the write if the customer is still at this version (its ETag, e.g. "3"); '
            "412 otherwise.",
        ),
    ] = None,
) -> int | None:
    """The version If-Match asks for; None when absent or ``*``."""
    if if_match is None or if_match.strip() == "*":
        return None
    match = _VERSION_TAG.fullmatch(if_match.strip())
    return int(match.group(1)) if match else UNMATCHABLE_VERSION
