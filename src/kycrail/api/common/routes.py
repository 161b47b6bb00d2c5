"""What a route takes, checked before FastAPI reads the request, in the route class every router uses
(no dependency to solve on each request):

- its body in the media type it takes: 415 naming that type, and 400 for JSON that is not UTF-8. FastAPI
  reads a body it was not given as JSON as raw bytes and then fails validation (422 "Input should be a
  valid dictionary"), which says nothing about the real mistake;
- only the query parameters it declares: an unknown one (a typo such as ``emial``, a filter it does not
  have) is a 422 naming it, as an unknown body field is, rather than ignored (a list that silently
  ignores its filter answers with every customer).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from kycrail.errors import FieldError, MalformedBody, UnsupportedMediaType, ValidationFailed

JSON = "application/json"
MULTIPART = "multipart/form-data"
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def _takes(expected: str, media_type: str) -> bool:
    if expected == JSON:  # application/json, and the structured +json types (merge-patch, say)
        return media_type == JSON or (media_type.startswith("application/") and media_type.endswith("+json"))
    return media_type == expected


def _media_type(route: APIRoute) -> str | None:
    """What the route's body is read as: JSON, a form (multipart), or None without a body."""
    body = route.dependant.body_params
    if not body:
        return None
    return (
        MULTIPART if any(isinstance(param.field_info, params.Form | params.File) for param in body) else JSON
    )


def _query_names(dependant: Dependant) -> frozenset[str]:
    """The query parameters a route takes, its dependencies' included."""
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return frozenset(names)


def _unknown_parameters(request: Request, known: frozenset[str]) -> None:
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in known]
    if unknown:
        raise ValidationFailed(
            errors=tuple(FieldError(None, "Unknown query parameter.", name) for name in unknown)
        )


class CheckedRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        expected = _media_type(self)
        known = _query_names(self.dependant)

        async def checked(request: Request) -> Response:
            if request.scope.get("query_string"):  # not request.url: that builds a URL on every request
                _unknown_parameters(request, known)
            if expected is not None and request.method in _WITH_BODY:
                sent = request.headers.get("content-type")
                # No Content-Type at all: read as the route's own type (clients that omit it for JSON).
                if sent is not None and not _takes(expected, sent.partition(";")[0].strip().lower()):
                    raise UnsupportedMediaType(f"This endpoint takes {expected}.")
                if expected == JSON:
                    try:
                        (await request.body()).decode("utf-8")
                    except UnicodeDecodeError:
                        message = "The body is not UTF-8: JSON is sent in UTF-8."
                        raise MalformedBody(message, errors=(FieldError("", message),)) from None
            return await handler(request)

        return checked
