"""Optimistic concurrency on the wire: ``ETag`` from the customer's version, ``If-Match`` on writes."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header

from kycrail.customers.model import Customer
from kycrail.errors import PreconditionFailed

_VERSION_TAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')


def etag(customer: Customer) -> str:
    return f'"{customer.version}"'


def _expected_version(
    if_match: Annotated[
        str | None,
        Header(
            description='Only apply the write if the customer is still at this version (its ETag, e.g. "3"); '
            "412 otherwise.",
        ),
    ] = None,
) -> int | None:
    """The version If-Match asks for; None when absent or ``*``. A tag that cannot match is a 412."""
    if if_match is None or if_match.strip() == "*":
        return None
    match = _VERSION_TAG.fullmatch(if_match.strip())
    if match is None:
        raise PreconditionFailed('If-Match must be one of this API\'s ETags, such as "3".')
    return int(match.group(1))


ExpectedVersion = Annotated[int | None, Depends(_expected_version)]
