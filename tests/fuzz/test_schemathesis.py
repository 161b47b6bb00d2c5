"""Fuzz the app's own OpenAPI document with schemathesis, in-process over ASGI (no network).

Two tests over one app (built as the other tests build it, on a fresh migrated SQLite file):

- every operation on its own: positive and negative requests from the schema's examples, the coverage
  phase (boundaries, missing and wrong-typed fields, unexpected methods) and random generation;
- stateful sequences that chain operations through the links schemathesis infers from the schema
  (create a customer, then read, update, delete or import into it), which reach the 2xx answers that
  random ids never find.

Each request carries a valid API key (``Authorization: Bearer <key>``) and each response is checked for:
no 5xx, a documented status code, content type and headers, a body matching the documented schema,
rejection of invalid input, and refusal of the same request without (or with a wrong) key.

The run is bounded and deterministic (fixed seed, derandomized, no example database); leave it out of a
quick run with ``pytest --ignore=tests/fuzz`` (or ``-k "not schemathesis"``). It writes nothing in the
work tree: schemathesis's cache is off, and whatever it or Hypothesis would keep on disk (reports,
``.schemathesis/``, ``.hypothesis/``) goes under the test's own temporary directory (``fuzz_storage``).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import CheckContext, HookContext, Response
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.python import asgi
from schemathesis.specs.openapi.schemas import OpenApiSchema

from kycrail.app import create_app
from kycrail.config import to_async_database_url
from kycrail.db import create_engine
from kycrail.tenants import service
from kycrail.tenants.keys import Role
from tests.conftest import POSTGRES_URL
from tests.fuzz.hostile import hostile_strings, storage_problems, with_text_at
from tests.settings import settings_for

# The app under fuzz always runs on its own SQLite file: once per CI run is enough (the SQLite pass).
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(POSTGRES_URL), reason="fuzzed in the SQLite pass")]

SEED = 20240601
MAX_EXAMPLES = 50  # random cases per operation, on top of its examples and coverage cases
STATEFUL_SCENARIOS = 200
STATEFUL_MAX_STEPS = 10
CHECKS = (
    "not_a_server_error",
    "response_schema_conformance",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
    "ignored_auth",
)


@dataclass(frozen=True)
class Keys:
    """A tenant's two keys: ``api`` for the customer APIs, ``reviewer`` for the ``/ops`` review routes."""

    api: str
    reviewer: str

    def for_path(self, path: str) -> str:
        return self.reviewer if path.startswith("/ops/") else self.api


async def _create_keys(database_url: str, tenant: str) -> Keys:
    engine = create_engine(to_async_database_url(database_url))
    try:
        api = await service.create_key(engine, tenant, Role.api)
        reviewer = await service.create_key(engine, tenant, Role.reviewer)
        return Keys(api=api.secret, reviewer=reviewer.secret)
    finally:
        await engine.dispose()


# Customers the stateful sequences start from (through the lists' links): an empty Swipelux one, a
# complete Sphere individual (which submits its review once documents come) and a Sphere business.
SEED_CUSTOMERS = (
    ("/v1/customers", {}),
    (
        "/v1/customers",
        {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "birthDate": "1985-12-10"},
    ),
    (
        "/v2/customer",
        {
            "email": "jane.smith@example.com",
            "phone": "+14155550123",
            "address": {
                "line1": "233 South Wacker Drive",
                "city": "Chicago",
                "state": "IL",
                "postalCode": "60606",
                "country": "USA",
            },
            "personalInformation": {
                "firstName": "Jane",
                "lastName": "Smith",
                "dateOfBirth": "1990-05-17",
                "taxIdentificationNumber": "123-45-6789",
                "taxIdentificationNumberType": "ssn",
                "taxIdentificationNumberCountry": "USA",
            },
        },
    ),
    (
        "/v2/customer",
        {
            "type": "business",
            "email": "ops@acme.example.com",
            "phone": "+14155550124",
            "businessInformation": {"legalName": "Acme Inc."},
        },
    ),
)


# A PDF as the app's content sniffing judges one: a versioned header and an end-of-file marker.
def tiny_pdf(label: str) -> bytes:
    return f"%PDF-1.4\n%{label}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".encode()


# With these on file nothing is missing from the complete Sphere individual: its review is submitted
# (pending), so a reviewer can decide on it.
SEED_DOCUMENTS = ("passport", "liveness_report")


def _seed_customers(app: object, api_key: str) -> None:
    """Create ``SEED_CUSTOMERS`` (and the documents) through the public API, as ``api_key``'s tenant."""
    auth = {"Authorization": f"Bearer {api_key}"}
    with asgi.get_client(app) as client:  # type: ignore[arg-type]
        for path, body in SEED_CUSTOMERS:
            response = client.post(path, json=body, headers=auth)
            assert response.status_code == 201, (path, response.status_code, response.text)
            if body.get("personalInformation"):
                for document_type in SEED_DOCUMENTS:
                    uploaded = client.post(
                        "/v2/document",
                        data={
                            "target": "customer",
                            "targetId": response.json()["id"],
                            "documentType": document_type,
                        },
                        # One file per document: the same file twice on a customer is refused (409).
                        files={"file": ("document.pdf", tiny_pdf(document_type), "application/pdf")},
                        headers=auth,
                    )
                    assert uploaded.status_code == 201, (document_type, uploaded.status_code, uploaded.text)


def _config(keys: Keys, storage: Path) -> schemathesis.Config:
    """The run's configuration; anything schemathesis writes goes under ``storage`` (a temporary
    directory), its cache of what it learnt about the API not at all (every run starts afresh)."""
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "cache": {"enabled": False, "directory": str(storage / "cache")},
            "reports": {"directory": str(storage / "reports")},
            "generation": {
                "mode": "all",  # positive and negative data
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",  # nothing replayed from earlier runs: every run is the same run
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True, "max-steps": STATEFUL_MAX_STEPS},
            },
            # Exactly these checks, in the stateless and the stateful test alike.
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            # The key goes where the schema says (HTTPBearer): `Authorization: Bearer <key>`; the review
            # routes get the tenant's reviewer key (an api key is a 403 there).
            "auth": {"openapi": {"HTTPBearer": {"bearer": keys.api}}},
            "operations": [
                {"include-path-regex": "^/ops/", "headers": {"Authorization": f"Bearer {keys.reviewer}"}}
            ],
        }
    )


@pytest.fixture
def fuzz_keys(fresh_sqlite_url: str) -> Keys:
    """Keys made through the real service, on a short-lived engine of their own (see ``api_schema``)."""
    return asyncio.run(_create_keys(fresh_sqlite_url, "fuzz"))


@pytest.fixture
def api_schema(
    fresh_sqlite_url: str, fuzz_keys: Keys, fuzz_storage: Path, request: pytest.FixtureRequest
) -> Iterator[OpenApiSchema]:
    """The app on a fresh migrated SQLite file, with a tenant's keys, loaded from its own ``/openapi.json``.

    Schemathesis drives the app's lifespan itself (over the ASGI lifespan protocol, on its own event-loop
    thread, where every request then runs; entering ``app.router.lifespan_context`` on pytest's loop as
    well would start a second engine bound to the wrong loop). So the keys are made beforehand through
    the real service on a short-lived engine of their own, and the lifespan is ended here, before the
    database file goes away.
    """
    # schemathesis 4.32.5's fixture-based loader renames the test item per operation through
    # `item._nodeid`, which pytest 9.2 no longer has; give it one to read. Reports keep the plain test
    # id; each operation is still named in its own subtest.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    # One client sending thousands of requests (and hundreds of invalid keys) is what the rate limits
    # exist to stop; off here, so every request reaches the routes under test.
    app = create_app(
        settings_for(fresh_sqlite_url, sandbox=True, rate_limit_per_second=0, auth_failures_per_minute=0)
    )
    try:
        loaded = schemathesis.openapi.from_asgi("/openapi.json", app, config=_config(fuzz_keys, fuzz_storage))
        loaded.hook("flatmap_body")(_sometimes_hostile)
        yield loaded
    finally:
        asgi.shutdown_lifespans()


def _sometimes_hostile(context: HookContext, body: Any) -> st.SearchStrategy[Any]:
    """One generated body in four carries a hostile string (control, bidi control, decomposed accent) in
    one of its text fields: generation from the schema alone hardly ever sends them where they are kept.

    No lone surrogates here: schemathesis validates bodies with jsonschema-rs, which cannot take one (nor
    can a multipart form carry one); ``test_hostile_strings.py`` sends them.
    """
    # The same draws whatever the body holds: a stateful scenario's bodies follow the app's answers,
    # and Hypothesis replays a scenario expecting the same choices.
    draws = st.tuples(st.integers(0, 3), st.integers(0, 255), hostile_strings(surrogates=False))
    return draws.map(lambda drawn: with_text_at(body, drawn[1], drawn[2]) if drawn[0] == 0 else body)


def hostile_text_stays_out(ctx: CheckContext, response: Response, case: schemathesis.Case) -> None:
    """A 2xx answer shows no text a client could not send (see ``hostile.storage_problems``)."""
    if 200 <= response.status_code < 300 and response.content:
        problems = storage_problems(response.json())
        if problems:
            raise AssertionError("; ".join(problems))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_schemathesis_operations(case: schemathesis.Case) -> None:
    case.call_and_validate(additional_checks=[hostile_text_stays_out])


def test_schemathesis_stateful(api_schema: OpenApiSchema, fresh_sqlite_url: str, fuzz_keys: Keys) -> None:
    """Chained operations, negative steps among them (``run_chained``)."""
    configured = {f"Bearer {fuzz_keys.api}", f"Bearer {fuzz_keys.reviewer}"}
    run_chained(
        api_schema,
        fresh_sqlite_url,
        tenant="fuzz",
        configured=configured,
        check=hostile_text_stays_out,
        scenarios=STATEFUL_SCENARIOS,
        steps=STATEFUL_MAX_STEPS,
    )


def run_chained(
    schema: OpenApiSchema,
    database_url: str,
    *,
    tenant: str,
    configured: set[str],
    check: Any,
    scenarios: int,
    steps: int,
) -> None:
    """Sequences through the document's links. Each scenario runs as a tenant of its own, seeded
    alike, so what one scenario created or deleted never shows in the next one's lists: Hypothesis
    replays scenarios to shrink them, and it needs the same steps to see the same state. ``check`` is
    held on every answer beside the configured ones."""
    app = schema.app
    tenants = itertools.count(1)

    class Scenario(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            super().setup()
            self.keys = asyncio.run(_create_keys(database_url, f"{tenant}-{next(tenants)}"))
            _seed_customers(app, self.keys.api)

        def before_call(self, case: schemathesis.Case) -> None:
            super().before_call(case)
            # Swap the configured key for this scenario's; negative cases that dropped or mangled the
            # header keep what they were generated with.
            if case.headers is not None and case.headers.get("Authorization") in configured:
                case.headers["Authorization"] = f"Bearer {self.keys.for_path(case.operation.path)}"

        def validate_response(
            self, response: Response, case: schemathesis.Case, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            checks = [*(additional_checks or []), check]
            super().validate_response(response, case, additional_checks=checks, **kwargs)

    settings = hypothesis.settings(
        Scenario.TestCase.settings,
        max_examples=scenarios,
        stateful_step_count=steps,
        derandomize=True,
        database=None,
        deadline=None,
    )
    run_state_machine_as_test(Scenario, settings=settings)
