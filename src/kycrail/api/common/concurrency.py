"""Optimistic concurrency on the wire: ``ETag`` from the customer's version, ``If-Match`` on writes,
``If-None-Match`` on reads (RFC 9110, sections 8.8.3, 13.1.1 and 13.1.2)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Header
from pydantic.json_schema import SkipJsonSchema
from starlette.responses import Response

from kycrail.customers.model import Customer
from kycrail.errors import FieldError, InvalidHeader

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text; a list is separated by
# commas with optional whitespace (and may hold empty elements).
_ENTITY_TAG = re.compile(r'(W/)?("[\x21\x23-\x7e\x80-\xff]*")')
_LIST_SEPARATOR = re.compile(r"[ \t]*(?:,[ \t]*)*")
_VERSION = re.compile(r'"(\d{1,18})"')
ANY = "*"
# What the document says the conditional headers hold: * or a list of entity tags (visible ASCII
# inside the quotes). The parser (``entity_tags``) takes all of that and more (obs-text, empty
# elements, an empty list); the document promises only what every client should send.
_DOCUMENTED_TAG = r'(W/)?"[!#-~]*"'
ENTITY_TAGS_PATTERN = rf"^(\*|{_DOCUMENTED_TAG}( ?, ?{_DOCUMENTED_TAG})*)$"
DOCUMENTED_TAGS = {"pattern": ENTITY_TAGS_PATTERN, "examples": ['"3"']}

IF_MATCH_DESCRIPTION = (
    'Apply the write only if the customer is still at one of these versions: its ETag (e.g. "3"), a list '
    'of them ("3", "4"), or * for any. A weak tag (W/"3") never matches a write. 412 when none matches; '
    "An empty list names no version (412). 400 when the value is not a list of entity tags."
)
IF_NONE_MATCH_DESCRIPTION = (
    "Answer 304 Not Modified, without a body, if the customer is still at a version this names (its "
    "ETag, weak or strong, a list of them, or *). An empty list names none."
)

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified: the customer is still at a version If-None-Match names."}
}


@dataclass(frozen=True, slots=True)
class EntityTag:
    opaque: str  # with its quotes
    weak: bool


def etag(customer: Customer) -> str:
    return f'"{customer.version}"'


def entity_tags(header: str, value: str) -> tuple[EntityTag, ...] | None:
    """The tags a conditional header lists; None for ``*``. InvalidHeader when it is no such list. RFC
    9110's ``#entity-tag`` may be empty (an empty value, or commas alone): an empty tuple, naming no
    version."""
    text = value.strip(" \t")
    if text == ANY:
        return None
    tags: list[EntityTag] = []
    position = 0
    while True:
        separator = _LIST_SEPARATOR.match(text, position)
        assert separator is not None  # it matches the empty string
        position = separator.end()
        if position == len(text):
            return tuple(tags)
        if tags and "," not in separator.group():
            break  # two tags with no comma between them
        tag = _ENTITY_TAG.match(text, position)
        if tag is None:
            break
        tags.append(EntityTag(opaque=tag.group(2), weak=tag.group(1) is not None))
        position = tag.end()
    message = f'{header} must be * or a comma-separated list of entity tags, such as "3" or W/"3".'
    raise InvalidHeader(message, errors=(FieldError(pointer=None, parameter=header, detail=message),))


def _versions(tags: tuple[EntityTag, ...], *, weak_too: bool) -> frozenset[int]:
    found = (_VERSION.fullmatch(tag.opaque) for tag in tags if weak_too or not tag.weak)
    return frozenset(int(match.group(1)) for match in found if match)


async def expected_versions(
    if_match: Annotated[
        str | SkipJsonSchema[None],
        Header(description=IF_MATCH_DESCRIPTION, json_schema_extra=DOCUMENTED_TAGS),
    ] = None,
) -> frozenset[int] | None:
    """The versions If-Match allows the write on (strong comparison); None when absent or ``*``."""
    if if_match is None:
        return None
    tags = entity_tags("If-Match", if_match)
    return None if tags is None else _versions(tags, weak_too=False)


def not_modified(customer: Customer, if_none_match: str | None) -> Response | None:
    """304 when If-None-Match names the customer's current version (weak comparison); else None."""
    if if_none_match is None:
        return None
    tags = entity_tags("If-None-Match", if_none_match)
    if tags is None or customer.version in _versions(tags, weak_too=True):
        return Response(status_code=304, headers={"ETag": etag(customer)})
    return None
