"""SpherePay's v2, as the app mounts it."""

from __future__ import annotations

from kycrail.api.common.dialect import WireDialect
from kycrail.api.sphere import documents, routes, webhooks
from kycrail.api.sphere.errors import ERRORS
from kycrail.api.sphere.examples import EXAMPLES

DIALECT = WireDialect(
    name="sphere",
    prefix="/v2",
    routers=(routes.router, documents.router, webhooks.router),
    errors=ERRORS,
    webhooks=webhooks.SphereDialect(),
    examples=EXAMPLES,
)
