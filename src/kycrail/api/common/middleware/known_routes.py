"""Which route a request is for, known before anything reads it: 404 for a path no route serves,
405 (``Allow`` naming every method of the path) for a method it does not have, and, for the stages
after, which API key scopes the route needs (none: it takes requests without a key) and the route's
template (``/v2/customer/{customer_id}``: what the request metrics count it under, never the path).

The table is made from the app's routes as its first request finds them, and indexed by a path's
first segment, so a lookup tries a few patterns, not all of them. FastAPI still routes the request
itself afterwards: this only answers what must be answered before a key is checked, a place in flight
taken or a body read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from kycrail.api.common.middleware.auth import NEEDED_SCOPES, Need, scopes_needed
from kycrail.api.common.middleware.request_context import ErrorRenderer
from kycrail.errors import KycrailError, MethodNotAllowed, RouteNotFound
from kycrail.metrics.requests import ROUTE_TEMPLATE


@dataclass(frozen=True, slots=True)
class _Pattern:
    template: str
    regex: re.Pattern[str]
    methods: Mapping[str, Need] | None  # None: a mount, which takes any method and no key


@dataclass(frozen=True, slots=True)
class Found:
    """What a request's method and path find: the route's template (None: no route serves the path),
    and what the route needs, or the refusal to answer instead (404, 405)."""

    template: str | None
    need: Need = None
    refusal: KycrailError | None = None


def _first_segment(path: str) -> str:
    return path[1:].partition("/")[0]


class KnownRoutes:
    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        by_template: dict[str, tuple[re.Pattern[str], dict[str, Need] | None]] = {}
        for route in routes:
            if isinstance(route, Mount):
                by_template.setdefault(route.path + "/", (route.path_regex, None))
            elif isinstance(route, Route):
                need = scopes_needed(route.dependant) if isinstance(route, APIRoute) else None
                _, methods = by_template.setdefault(route.path, (route.path_regex, {}))
                for method in route.methods or ():
                    if methods is not None:
                        methods.setdefault(method, need)  # the first route for a method serves it
        self._by_segment: dict[str, list[_Pattern]] = defaultdict(list)
        self._anywhere: list[_Pattern] = []  # templates that start with a parameter
        for template, (regex, methods) in by_template.items():
            segment = _first_segment(template)
            patterns = self._anywhere if "{" in segment else self._by_segment[segment]
            patterns.append(_Pattern(template, regex, methods))

    def find(self, method: str, path: str) -> Found:
        """The route serving ``method`` on ``path`` and the scopes it needs (None: no key); else the
        refusal: RouteNotFound, or MethodNotAllowed (under the template of the path's first route)."""
        allowed: set[str] = set()
        template = None
        candidates: list[_Pattern] = [*self._by_segment.get(_first_segment(path), ()), *self._anywhere]
        for pattern in candidates:
            if not pattern.regex.match(path):
                continue
            if pattern.methods is None:
                return Found(pattern.template)
            if method in pattern.methods:
                return Found(pattern.template, pattern.methods[method])
            allowed |= pattern.methods.keys()
            template = template or pattern.template
        if allowed:
            return Found(template, refusal=MethodNotAllowed(headers={"Allow": ", ".join(sorted(allowed))}))
        return Found(None, refusal=RouteNotFound())


class KnownRouteMiddleware:
    """Answers 404 and 405 before any later stage looks at the request; leaves what the route needs
    in the request's state (``NEEDED_SCOPES``), and its template (``ROUTE_TEMPLATE``)."""

    def __init__(
        self, app: ASGIApp, render_error: ErrorRenderer, routes: Callable[[], Iterable[BaseRoute]]
    ) -> None:
        self.app = app
        self.render_error = render_error
        self.served = routes
        self.routes: KnownRoutes | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state = scope["state"]
            if self.routes is None:
                self.routes = KnownRoutes(self.served())
            found = self.routes.find(scope["method"], scope["path"])
            if found.template is not None:
                state[ROUTE_TEMPLATE] = found.template
            if found.refusal is not None:
                await self.render_error(scope["path"], found.refusal, state["request_id"])(
                    scope, receive, send
                )
                return
            state[NEEDED_SCOPES] = found.need
        await self.app(scope, receive, send)
