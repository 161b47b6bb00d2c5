"""Sign-in, sign-out and enrolment (a new operator's password and second factor)."""

from __future__ import annotations

import segno
from fastapi import APIRouter
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from kycrail.api.common.middleware.clients import address_of
from kycrail.console import guard, pages, sessions
from kycrail.console.sessions import resources_of
from kycrail.operators import service as operators

router = APIRouter(prefix="/console", include_in_schema=False)

SIGN_IN_REFUSED = (
    "Sign-in failed: the email, password or code is wrong, or sign-in is locked for 15 minutes after "
    "five failures."
)


def _with_token(request: Request, response: Response) -> Response:
    sessions.keep_pre_session_token(request, response)
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request) -> Response:
    page = pages.page("sign_in.html", **guard.context(request, None, error=None, email=""))
    return _with_token(request, page)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await guard.checked_form(request)
    email, password, code = (str(form.get(name, "")) for name in ("email", "password", "code"))
    try:
        session_id, _ = await operators.sign_in(
            resources_of(request).storage, email[:320], password, code[:12], address_of(request.scope)
        )
    except operators.SignInRefused:
        values = guard.context(request, None, error=SIGN_IN_REFUSED, email=email[:320])
        return _with_token(request, pages.page("sign_in.html", status=401, **values))
    response = pages.see_other("/console/queue")
    sessions.start_session(request, response, session_id)
    return response


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    signed, _ = await guard.operator_posting(request)
    await operators.sign_out(resources_of(request).storage, signed)
    response = pages.see_other("/console/sign-in")
    sessions.end_session(response)
    return response


def _qr(uri: str) -> Markup:
    # segno draws it as inline SVG (paths only: no script, no style attribute); the URI is ours.
    return Markup(segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff"))  # noqa: S704


def _invalid_link(request: Request) -> Response:
    return pages.page(
        "message.html",
        status=404,
        **guard.context(
            request,
            None,
            title="This enrolment link is not valid",
            message="It was used already, or it expired (links last 24 hours). Ask an admin for a new one.",
        ),
    )


async def _enrolment_page(request: Request, token: str, error: str | None, status: int = 200) -> Response:
    try:
        enrolment = await operators.start_enrolment(resources_of(request).storage, token)
    except operators.EnrolmentInvalid:
        return _invalid_link(request)
    values = guard.context(
        request,
        None,
        email=enrolment.operator.email,
        token=token,
        secret=enrolment.totp_secret,
        qr=_qr(enrolment.provisioning_uri),
        error=error,
    )
    return _with_token(request, pages.page("enrol.html", status=status, **values))


@router.get("/enrol")
async def enrolment_page(request: Request) -> Response:
    # The token rides in the query string: the access log writes paths only.
    return await _enrolment_page(request, request.query_params.get("token", "")[:100], None)


@router.post("/enrol")
async def enrol(request: Request) -> Response:
    form = await guard.checked_form(request)
    token = str(form.get("token", ""))[:100]
    try:
        await operators.finish_enrolment(
            resources_of(request).storage,
            token,
            str(form.get("password", "")),
            str(form.get("repeated", "")),
            str(form.get("code", ""))[:12],
        )
    except operators.EnrolmentInvalid:
        return _invalid_link(request)
    except operators.EnrolmentRefused as refused:
        return await _enrolment_page(request, token, str(refused), status=400)
    return pages.page(
        "message.html",
        **guard.context(
            request,
            None,
            title="You are enrolled",
            message="Sign in with your email, your password and a code from your authenticator app.",
            link=("/console/sign-in", "Sign in"),
        ),
    )
