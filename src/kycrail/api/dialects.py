"""The wire dialects this service speaks: one line each. The app mounts their routers, the error
renderer answers each path in its owner's shape, and the webhook worker sends each endpoint its
dialect's messages, all from this list; none of them names a dialect."""

from __future__ import annotations

from kycrail.api.common.dialect import WireDialect
from kycrail.api.sphere.dialect import DIALECT as SPHERE
from kycrail.api.swipelux.dialect import DIALECT as SWIPELUX

DIALECTS: tuple[WireDialect, ...] = (SPHERE, SWIPELUX)
# The shape of an error on a path no dialect owns (the back office, health, an unknown path).
DEFAULT = SPHERE


def owner_of(path: str) -> WireDialect:
    return next((dialect for dialect in DIALECTS if dialect.owns(path)), DEFAULT)
