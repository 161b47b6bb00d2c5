"""Operators as people: enrolment (password and TOTP), sign-in, sessions, lockout, CSRF, the headers
every page sends (kycrail/console/signing_in.py, sessions.py; kycrail/operators/service.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.console import pages
from kycrail.db import utc_now
from kycrail.operators import second_factor
from kycrail.operators import service as operators
from kycrail.operators.model import OperatorRole
from kycrail.operators.tables import operator_sessions
from kycrail.operators.tables import operators as operators_table
from kycrail.storage import Storage
from tests.console.desk import PASSWORD, Console, Person, csrf_of, enrolled, tenant_id

Browsers = Callable[[], Console]


def test_pages_send_the_strict_headers() -> None:
    response = pages.page("message.html", title="t", message="m", signed=None, csrf="")
    assert response.headers["content-security-policy"].startswith(
        "default-src 'self'; frame-ancestors 'none'"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


async def test_enrolment_sets_password_and_second_factor_then_sign_in_works(
    storage: Storage, browsers: Browsers
) -> None:
    created = await operators.create_operator(
        storage, await tenant_id(storage), "Rita@Acme.example", OperatorRole.reviewer
    )
    browser = browsers()
    page = await browser.get(f"/console/enrol?token={created.enrolment_token}")
    assert page.status_code == 200
    assert "rita@acme.example" in page.text
    assert "<svg" in page.text
    secret = page.text.split('data-testid="totp-secret">')[1].split("<")[0]
    assert page.headers["cache-control"] == "no-store"
    weak = await browser.post(
        "/console/enrol",
        {
            "token": created.enrolment_token,
            "password": "password1234",
            "repeated": "password1234",
            "code": "0",
        },
    )
    assert weak.status_code == 400
    assert "too easy to guess" in weak.text
    wrong_code = await browser.post(
        "/console/enrol",
        {"token": created.enrolment_token, "password": PASSWORD, "repeated": PASSWORD, "code": "000000"},
    )
    assert wrong_code.status_code == 400
    assert "does not match" in wrong_code.text
    now = second_factor.time.time()  # the server's clock (stopped for the test)
    code = pyotp.TOTP(secret).at(now)
    done = await browser.post(
        "/console/enrol",
        {"token": created.enrolment_token, "password": PASSWORD, "repeated": PASSWORD, "code": code},
    )
    assert done.status_code == 200
    assert "You are enrolled" in done.text
    # The link is spent.
    assert (await browser.get(f"/console/enrol?token={created.enrolment_token}")).status_code == 404
    person = Person(created.operator, PASSWORD, secret, last_step=int(now // 30))  # enrolment's step
    signed = await browser.sign_in(person)
    assert signed.status_code == 303
    assert signed.headers["location"] == "/console/queue"
    queue = await browser.get("/console/queue")
    assert queue.status_code == 200
    assert "rita@acme.example" in queue.text


async def test_an_expired_or_unknown_enrolment_link_is_refused(
    storage: Storage, engine: AsyncEngine, browsers: Browsers
) -> None:
    created = await operators.create_operator(
        storage, await tenant_id(storage), "old@acme.example", OperatorRole.admin
    )
    async with engine.begin() as connection:
        await connection.execute(
            update(operators_table)
            .where(operators_table.c.id == created.operator.id)
            .values(enrolment_expires_at=created.expires_at - timedelta(hours=25))
        )
    browser = browsers()
    assert (await browser.get(f"/console/enrol?token={created.enrolment_token}")).status_code == 404
    assert (await browser.get("/console/enrol?token=nothing-like-a-token")).status_code == 404


async def test_the_session_cookie_is_http_only_strict_and_secure_outside_the_sandbox(
    storage: Storage, browsers: Browsers
) -> None:
    person = await enrolled(storage)
    response = await browsers().sign_in(person)
    cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith("kycrail_console=")
    )
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=strict", "secure", "path=/console"} <= attributes


async def test_only_a_hash_of_the_session_id_is_stored_and_each_sign_in_gets_a_new_one(
    storage: Storage, engine: AsyncEngine, browsers: Browsers
) -> None:
    person = await enrolled(storage)
    browser = browsers()
    await browser.sign_in(person)
    first = browser.http.cookies["kycrail_console"]
    await browser.sign_in(person)
    second = browser.http.cookies["kycrail_console"]
    assert first != second
    async with engine.connect() as connection:
        stored = set((await connection.execute(select(operator_sessions.c.id_hash))).scalars())
    assert hashlib.sha256(second.encode()).hexdigest() in stored
    assert first not in stored
    assert second not in stored


async def test_a_wrong_password_a_wrong_code_and_an_unknown_email_get_the_same_answer(
    storage: Storage, browsers: Browsers
) -> None:
    person = await enrolled(storage)
    browser = browsers()
    answers = []
    for email, password, code in (
        (person.operator.email, "not the password at all", person.code()),
        (person.operator.email, person.password, "123456"),
        ("nobody@acme.example", person.password, person.code()),
    ):
        answer = await browser.post(
            "/console/sign-in",
            {"email": email, "password": password, "code": code},
            token_from="/console/sign-in",
        )
        answers.append((answer.status_code, answer.text.split('role="alert">')[1].split("<")[0]))
    assert len(set(answers)) == 1
    assert answers[0][0] == 401


async def test_five_failures_lock_the_account_for_15_minutes(
    storage: Storage, engine: AsyncEngine, browsers: Browsers
) -> None:
    person = await enrolled(storage)
    for _ in range(5):
        await browsers().post(
            "/console/sign-in",
            {"email": person.operator.email, "password": "wrong wrong wrong", "code": "000000"},
            token_from="/console/sign-in",
        )
    locked = await browsers().sign_in(person)  # the right password and code, now locked
    assert locked.status_code == 401
    async with engine.connect() as connection:
        until = (
            await connection.execute(
                select(operators_table.c.locked_until).where(operators_table.c.id == person.operator.id)
            )
        ).scalar_one()
    assert until is not None


async def test_five_failures_from_one_address_lock_it_across_accounts(
    storage: Storage, browsers: Browsers
) -> None:
    victim = await enrolled(storage)
    for n in range(5):  # five different accounts, one address
        await browsers().post(
            "/console/sign-in",
            {"email": f"guess{n}@acme.example", "password": "wrong wrong wrong", "code": "000000"},
            token_from="/console/sign-in",
        )
    assert (await browsers().sign_in(victim)).status_code == 401


async def test_sign_out_ends_the_session_row(
    storage: Storage, engine: AsyncEngine, browsers: Browsers
) -> None:
    person = await enrolled(storage)
    browser = browsers()
    await browser.sign_in(person)
    cookie = browser.http.cookies["kycrail_console"]
    out = await browser.post("/console/sign-out", {}, token_from="/console/queue")
    assert out.status_code == 303
    browser.http.cookies.set(
        "kycrail_console", cookie, domain="kycrail.test", path="/console"
    )  # kept by a thief
    assert (await browser.get("/console/queue")).status_code == 303


async def test_an_idle_session_and_an_old_one_end(
    storage: Storage, engine: AsyncEngine, browsers: Browsers
) -> None:
    person = await enrolled(storage)
    browser = browsers()
    await browser.sign_in(person)
    assert (await browser.get("/console/queue")).status_code == 200
    async with engine.begin() as connection:
        await connection.execute(
            update(operator_sessions).values(last_seen_at=utc_now() - timedelta(minutes=31))
        )
    assert (await browser.get("/console/queue")).status_code == 303
    other = browsers()
    await other.sign_in(person)
    async with engine.begin() as connection:
        await connection.execute(update(operator_sessions).values(created_at=utc_now() - timedelta(hours=13)))
    assert (await other.get("/console/queue")).status_code == 303


async def test_a_disabled_operator_is_signed_out_and_cannot_sign_in(
    storage: Storage, browsers: Browsers
) -> None:
    person = await enrolled(storage)
    browser = browsers()
    await browser.sign_in(person)
    await operators.disable_operator(storage, person.operator)
    assert (await browser.get("/console/queue")).status_code == 303
    assert (await browsers().sign_in(person)).status_code == 401


@pytest.mark.parametrize("token", [None, "", "forged-token"])
async def test_a_post_without_this_sessions_csrf_token_is_403_and_changes_nothing(
    storage: Storage, engine: AsyncEngine, browsers: Browsers, token: str | None
) -> None:
    person = await enrolled(storage)
    browser = browsers()
    await browser.sign_in(person)
    data = {} if token is None else {"csrf": token}
    refused = await browser.http.post("/console/sign-out", data=data)
    assert refused.status_code == 403
    assert (await browser.get("/console/queue")).status_code == 200  # still signed in


async def test_another_sessions_csrf_token_is_403(storage: Storage, browsers: Browsers) -> None:
    rita, sam = await enrolled(storage), await enrolled(storage, "sam@acme.example")
    mine, theirs = browsers(), browsers()
    await mine.sign_in(rita)
    await theirs.sign_in(sam)
    await theirs.get("/console/queue")
    refused = await mine.http.post("/console/sign-out", data={"csrf": csrf_of(theirs.page)})
    assert refused.status_code == 403


async def test_the_console_needs_a_session_not_an_api_key(
    storage: Storage, browsers: Browsers, api_key: str
) -> None:
    browser = browsers()
    answer = await browser.http.get("/console/queue", headers={"Authorization": f"Bearer {api_key}"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/sign-in"
