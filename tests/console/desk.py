"""Helpers for console tests: operators made and enrolled through the real services, and a browser-like
client (cookies kept, forms posted with the CSRF token the page carries)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pyotp
import pytest
from fastapi import FastAPI

from kycrail.operators import second_factor
from kycrail.operators import service as operators
from kycrail.operators.model import Operator, OperatorRole
from kycrail.storage import Storage
from kycrail.tenants import service as tenants

PASSWORD = "correct horse battery staple 7"
_CSRF = re.compile(r'name="csrf" value="([^"]*)"')


@dataclass
class Person:
    """An enrolled operator and what they know: password and second factor."""

    operator: Operator
    password: str
    secret: str
    last_step: int = field(default=0)

    def code(self) -> str:
        """A fresh code: each step is good once, so each use takes the next one the server accepts (one
        step either side of now, on the server's clock: ``frozen_totp_clock``)."""
        step = max(int(second_factor.time.time() // 30) - 1, self.last_step + 1)
        self.last_step = step
        return pyotp.TOTP(self.secret).at(step * 30)


async def tenant_id(storage: Storage, name: str = "acme") -> str:
    try:
        return (await tenants.find_tenant(storage.engine, name)).id
    except tenants.UnknownTenant:
        return (await tenants.create_tenant(storage.engine, name)).id


async def enrolled(
    storage: Storage,
    email: str = "rita@acme.example",
    role: OperatorRole = OperatorRole.reviewer,
    tenant: str = "acme",
) -> Person:
    created = await operators.create_operator(storage, await tenant_id(storage, tenant), email, role)
    enrolment = await operators.start_enrolment(storage, created.enrolment_token)
    person = Person(created.operator, PASSWORD, enrolment.totp_secret)
    await operators.finish_enrolment(storage, created.enrolment_token, PASSWORD, PASSWORD, person.code())
    return person


class _FrozenClock:
    """``time`` as the TOTP check sees it, stopped: a code made for "one step ago" must not expire
    between the test making it and the server checking it (a 30-second boundary in between)."""

    def __init__(self) -> None:
        self._now = time.time()

    def time(self) -> float:
        return self._now


def frozen_totp_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(second_factor, "time", _FrozenClock())


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class Console:
    """One browser on the console: its own cookies."""

    def __init__(self, app: FastAPI, *, https: bool = True) -> None:
        scheme = "https" if https else "http"
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 50000)),
            base_url=f"{scheme}://kycrail.test",
        )
        self.page = ""

    async def aclose(self) -> None:
        await self.http.aclose()

    async def get(self, path: str) -> httpx.Response:
        response = await self.http.get(path)
        self.page = response.text
        return response

    async def post(self, path: str, data: dict[str, Any], *, token_from: str | None = None) -> httpx.Response:
        """Posts ``data`` with the CSRF token of the page at ``token_from`` (default: the last page)."""
        if token_from is not None:
            await self.get(token_from)
        response = await self.http.post(path, data={"csrf": csrf_of(self.page), **data})
        if response.status_code != 303:
            self.page = response.text
        return response

    async def sign_in(self, person: Person) -> httpx.Response:
        data = {"email": person.operator.email, "password": person.password, "code": person.code()}
        return await self.post("/console/sign-in", data, token_from="/console/sign-in")
