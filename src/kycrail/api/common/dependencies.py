"""What a route asks FastAPI for: the one place every dialect takes its dependencies from."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header
from pydantic.json_schema import SkipJsonSchema

from kycrail.api.common.concurrency import DOCUMENTED_TAGS, IF_NONE_MATCH_DESCRIPTION, expected_versions
from kycrail.api.common.ids import (
    checked_customer_id,
    checked_document_id,
    checked_hit_id,
    checked_webhook_id,
)
from kycrail.api.common.middleware.auth import Caller, caller_who_may
from kycrail.api.common.resources import Resources, get_resources
from kycrail.tenants.keys import Scope

Resolved = Annotated[Resources, Depends(get_resources)]  # routes without a key
# A keyed route's caller: 401 without a valid key, 403 when the key's role lacks the scope
# (tenants/keys.SCOPES).
CanRead = Annotated[Caller, Depends(caller_who_may(Scope.read))]
CanWrite = Annotated[Caller, Depends(caller_who_may(Scope.write))]
CanManageWebhooks = Annotated[Caller, Depends(caller_who_may(Scope.webhooks))]
CanReview = Annotated[Caller, Depends(caller_who_may(Scope.review))]
CanErase = Annotated[Caller, Depends(caller_who_may(Scope.erase))]
ExpectedVersions = Annotated[frozenset[int] | None, Depends(expected_versions)]  # If-Match
IfNoneMatch = Annotated[
    str | SkipJsonSchema[None],
    Header(description=IF_NONE_MATCH_DESCRIPTION, json_schema_extra=DOCUMENTED_TAGS),
]
CustomerId = Annotated[str, Depends(checked_customer_id)]
DocumentId = Annotated[str, Depends(checked_document_id)]
HitId = Annotated[str, Depends(checked_hit_id)]
WebhookId = Annotated[str, Depends(checked_webhook_id)]
