"""What every console route asks first: who is signed in (else to the sign-in page), and, for a
POST, whether its form carries this browser's CSRF token (else 403, and nothing changes)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kycrail.api.common.middleware.auth import request_id
from kycrail.console import pages, sessions
from kycrail.operators.model import SignedIn

MAX_FORM_FIELDS = 200


class Refused(Exception):
    """Ends a console route with ``response`` (a redirect to sign in, a 403): raised by the checks
    below, answered by ``refused`` (the app's handler for it)."""

    def __init__(self, response: Response) -> None:
        self.response = response


async def refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return exc.response


async def operator(request: Request) -> SignedIn:
    found = await sessions.signed_in(request)
    if found is None:
        raise Refused(pages.see_other("/console/sign-in"))
    return found


async def checked_form(request: Request) -> FormData:
    form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    if not sessions.form_token_matches(request, form.get("csrf")):
        raise Refused(
            pages.page(
                "message.html",
                status=403,
                title="Refused",
                message="This form is out of date or not from this console: open the page again.",
                signed=None,
                csrf="",
            )
        )
    return form


async def operator_posting(request: Request) -> tuple[SignedIn, FormData]:
    """A signed-in operator's POST: who, and the form, its CSRF token checked."""
    signed = await operator(request)
    return signed, await checked_form(request)


def context(request: Request, signed: SignedIn | None, **values: Any) -> dict[str, Any]:
    """What every page's template reads: who is signed in, and the forms' CSRF token."""
    csrf = sessions.form_token(request)
    return {"signed": signed, "csrf": csrf, "request_id": request_id(request), **values}
