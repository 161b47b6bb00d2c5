"""Swipelux's v1, as the app mounts it."""

from __future__ import annotations

from kycrail.api.common.dialect import WireDialect
from kycrail.api.swipelux import routes, webhooks
from kycrail.api.swipelux.errors import ERRORS
from kycrail.api.swipelux.examples import EXAMPLES

DIALECT = WireDialect(
    name="swipelux",
    prefix="/v1",
    routers=(routes.router, webhooks.router),
    errors=ERRORS,
    webhooks=webhooks.SwipeluxDialect(),
    examples=EXAMPLES,
)
