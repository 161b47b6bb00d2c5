"""Who is signed in: the session cookie (``HttpOnly``, ``SameSite=Strict``, ``Secure`` but in the
sandbox on plain http), and the CSRF token every form carries.

Before sign-in (the sign-in and enrolment forms) the token is a random value kept in a cookie of its
own, which the form must repeat; once signed in it is derived from the session id, so a form from
another session carries another token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response

from kycrail.api.common.resources import Resources
from kycrail.operators import service as operators
from kycrail.operators.model import SignedIn

SESSION_COOKIE = "kycrail_console"
PRE_SESSION_COOKIE = "kycrail_console_form"
PATH = "/console"


def resources_of(request: Request) -> Resources:
    resources: Resources = request.app.state.resources
    return resources


def _secure(request: Request) -> bool:
    return not resources_of(request).settings.sandbox


async def signed_in(request: Request) -> SignedIn | None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return None
    settings = resources_of(request).settings
    return await operators.session_of(
        resources_of(request).storage,
        session_id,
        idle=timedelta(minutes=settings.console_idle_minutes),
        absolute=timedelta(hours=settings.console_absolute_hours),
    )


def start_session(request: Request, response: Response, session_id: str) -> None:
    """The cookie of a new session (a new id at every sign-in); the pre-session token goes."""
    settings = resources_of(request).settings
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=settings.console_absolute_hours * 3600,
        path=PATH,
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie(PRE_SESSION_COOKIE, path=PATH)


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=PATH)


def _derived(session_id: str) -> str:
    return hmac.new(session_id.encode(), b"kycrail console csrf", hashlib.sha256).hexdigest()


def form_token(request: Request) -> str:
    """The CSRF token the page's forms carry."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        return _derived(session_id)
    existing = request.cookies.get(PRE_SESSION_COOKIE)
    if existing:
        return existing
    token: str = request.state.__dict__.setdefault("pre_session_token", secrets.token_urlsafe(32))
    return token


def keep_pre_session_token(request: Request, response: Response) -> None:
    """Sets the pre-session cookie a form page made a token for (if it made one)."""
    token = request.state.__dict__.get("pre_session_token")
    if token:
        response.set_cookie(
            PRE_SESSION_COOKIE, token, path=PATH, secure=_secure(request), httponly=True, samesite="strict"
        )


def form_token_matches(request: Request, sent: object) -> bool:
    """Whether a POST's token is this browser's: the session's, or (not signed in) the pre-session one."""
    if not isinstance(sent, str) or not sent:
        return False
    session_id = request.cookies.get(SESSION_COOKIE)
    expected = _derived(session_id) if session_id else request.cookies.get(PRE_SESSION_COOKIE)
    return expected is not None and hmac.compare_digest(sent.encode(), expected.encode())
