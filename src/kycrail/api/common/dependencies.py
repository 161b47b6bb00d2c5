"""What a route asks FastAPI for: the one place every dialect takes its dependencies from."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from kycrail.api.common.auth import Caller, caller_with_role, keyed_caller
from kycrail.api.common.concurrency import expected_version
from kycrail.api.common.ids import checked_customer_id, checked_webhook_id
from kycrail.api.common.resources import Resources, get_resources
from kycrail.tenants.keys import Role

Resolved = Annotated[Resources, Depends(get_resources)]  # routes without a key
Keyed = Annotated[Caller, Depends(keyed_caller)]  # 401 without a valid key
KeyedReviewer = Annotated[Caller, Depends(caller_with_role(Role.reviewer))]  # and 403 for another role
ExpectedVersion = Annotated[int | None, Depends(expected_version)]  # If-Match
CustomerId = Annotated[str, Depends(checked_customer_id)]
WebhookId = Annotated[str, Depends(checked_webhook_id)]
