"""The console's queue scenario: a reviewer enrolled and signed in over HTTP, as a person does it, and
the queue page checked once before it is measured.

The operator comes from ``kycrail operators create`` (its enrolment link), then enrols and signs in
through the console's own forms: the enrolment page's TOTP secret and CSRF token, the pre-session
cookie sent back, a code for a later step at sign-in (each step is good once). The server is not in
sandbox mode, so its cookies are ``Secure``: they are read from ``Set-Cookie`` and sent back by hand
over plain http, as wrk does with ``Cookie: kycrail_console=<session id>``.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Mapping
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import httpx
import pyotp
import seed
import servers

QUEUE_PATH = "/console/queue"  # the default page: pending, oldest submission first, 50 a page
PAGE_SIZE = 50
OPERATOR_EMAIL = "reviewer@bench.example"
PASSWORD = "correct horse battery staple 7"  # noqa: S105 (a throwaway operator of a throwaway database)
SESSION_COOKIE = "kycrail_console"
FORM_COOKIE = "kycrail_console_form"
_CSRF = re.compile(r'name="csrf" value="([^"]*)"')
_SECRET = re.compile(r'data-testid="totp-secret">([A-Z2-7]+)<')
_TOTAL = re.compile(r'data-testid="total">(\d+)<')
_ROW = re.compile(r'<tr data-customer="([^"]+)">\s*<td><a href="[^"]*">([^<]*)</a>')


class SignInFailed(RuntimeError):
    pass


def _cookie(response: httpx.Response, name: str) -> str:
    for header in response.headers.get_list("set-cookie"):
        jar = SimpleCookie()
        jar.load(header)
        if name in jar and jar[name].value:
            return jar[name].value
    raise SignInFailed(f"{response.request.method} {response.request.url.path}: no {name} cookie")


def _form_page(response: httpx.Response) -> tuple[str, str]:
    """A form page's CSRF token and the pre-session cookie that goes with it."""
    if response.status_code != 200:
        raise SignInFailed(f"GET {response.request.url.path}: HTTP {response.status_code}")
    found = _CSRF.search(response.text)
    if found is None:
        raise SignInFailed(f"GET {response.request.url.path}: no CSRF token on the page")
    return html.unescape(found.group(1)), _cookie(response, FORM_COOKIE)


def _post(client: httpx.Client, path: str, cookie: str, form: Mapping[str, str]) -> httpx.Response:
    return client.post(path, data=dict(form), headers={"Cookie": f"{FORM_COOKIE}={cookie}"})


def signed_in_session(base_url: str, env: Mapping[str, str], tenant: str) -> str:
    """A reviewer of ``tenant``, created, enrolled and signed in; the session id its cookie carries."""
    printed = servers.kycrail_cli(
        ["operators", "create", OPERATOR_EMAIL, "--tenant", tenant, "--role", "reviewer", "--url", base_url],
        env,
    )
    link = printed.splitlines()[-1]
    token = parse_qs(urlsplit(link).query)["token"][0]
    # Cookies by hand: they are Secure, which a client's jar would not send over plain http.
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get("/console/enrol", params={"token": token})
        csrf, cookie = _form_page(page)
        secret = _SECRET.search(page.text)
        if secret is None:
            raise SignInFailed("the enrolment page shows no TOTP secret")
        totp = pyotp.TOTP(secret.group(1))
        now = time.time()
        form = {"token": token, "password": PASSWORD, "repeated": PASSWORD, "csrf": csrf}
        enrolled = _post(client, "/console/enrol", cookie, {**form, "code": totp.at(now)})
        if enrolled.status_code != 200 or "You are enrolled" not in enrolled.text:
            raise SignInFailed(f"POST /console/enrol: HTTP {enrolled.status_code}")
        csrf, cookie = _form_page(client.get("/console/sign-in"))
        # The enrolment spent this step's code; the next step's is good now too (one step either side).
        code = totp.at(now + 30)
        form = {"email": OPERATOR_EMAIL, "password": PASSWORD, "code": code, "csrf": csrf}
        signed = _post(client, "/console/sign-in", cookie, form)
        if signed.status_code != 303:
            raise SignInFailed(f"POST /console/sign-in: HTTP {signed.status_code}")
        return _cookie(signed, SESSION_COOKIE)


def session_headers(session_id: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={session_id}"}


def queue_page(base_url: str, session_id: str, page: int = 1) -> httpx.Response:
    params = {} if page == 1 else {"page": str(page)}
    return httpx.get(base_url + QUEUE_PATH, params=params, headers=session_headers(session_id), timeout=120)


def queue_problems(base_url: str, session_id: str, tenant_id: str, size: int) -> list[str]:
    """What is wrong with the queue once ``size`` pending customers are seeded (nothing: []).

    The total, and the first and last pages' customers in order (oldest submission first) with their
    names: each name is opened from the customer's sealed document, so a row that does not decrypt, or
    a queue in the wrong order, fails here rather than as a fast wrong answer under load."""
    last_page = -(-size // PAGE_SIZE)
    problems = []
    for page in sorted({1, last_page}):
        response = queue_page(base_url, session_id, page)
        if response.status_code != 200:
            location = response.headers.get("location", "")
            return [f"GET {QUEUE_PATH}?page={page}: HTTP {response.status_code} {location}".rstrip()]
        total = _TOTAL.search(response.text)
        if total is None or int(total.group(1)) != size:
            problems.append(f"page {page}: total {total and total.group(1)}, seeded {size}")
        first = (page - 1) * PAGE_SIZE
        indices = range(first, min(size, first + PAGE_SIZE))
        expected = [seed.bulk_customer_id(tenant_id, index) for index in indices]
        rows = _ROW.findall(response.text)
        if [customer_id for customer_id, _ in rows] != expected:
            problems.append(f"page {page}: customers {rows[:2]}..., expected {expected[:2]}...")
        names = {html.unescape(name) for _, name in rows}
        if names != {"Jane Smith"}:
            problems.append(f"page {page}: names {sorted(names)[:3]}, expected Jane Smith")
    return problems
