"""What a route asks FastAPI for: the one place every dialect takes its dependencies from."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from kycrail.api.common.auth import current_actor, require_principal, require_role
from kycrail.api.common.concurrency import expected_version
from kycrail.api.common.ids import checked_customer_id, checked_webhook_id
from kycrail.api.common.resources import Resources, get_resources
from kycrail.customers.audit import Actor
from kycrail.tenants.keys import Role
from kycrail.tenants.service import Principal

Resolved = Annotated[Resources, Depends(get_resources)]
CurrentPrincipal = Annotated[Principal, Depends(require_principal)]
CurrentActor = Annotated[Actor, Depends(current_actor)]  # the principal of a write, for the audit trail
Reviewer = Annotated[Principal, Depends(require_role(Role.reviewer))]
ExpectedVersion = Annotated[int | None, Depends(expected_version)]  # If-Match
CustomerId = Annotated[str, Depends(checked_customer_id)]
WebhookId = Annotated[str, Depends(checked_webhook_id)]
