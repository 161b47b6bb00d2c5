"""What the OpenAPI document allows is accepted, and every answer is what it documents (issue 28,
item 1): schemathesis in positive mode, on both dialects, in-process over ASGI.

Every request is generated from the document alone (valid by it, with valid values), and held to:
a 2xx, or a documented refusal that is not about the request's shape (``positive_data_acceptance``
takes 401, 403, 404, 409, 412, 429, and 400/413/415/422 whose code ``refused_only_by_the_domain``
finds among the domain's refusals: every code of both dialects' error tables but ``SHAPE_REFUSALS``,
the ones the document describes, never a validation error); an answer whose status, body, content type
and headers are documented.

Values whose validity no pattern can say (a phone number's assigned ranges) are documented by a named
format (``phone``), generated here by the same library the server checks them with.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Iterator
from pathlib import Path

import phonenumbers
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import CheckContext, Response
from schemathesis.python import asgi
from schemathesis.specs.openapi.schemas import OpenApiSchema

from kycrail import errors as e
from kycrail.api.sphere import errors as sphere_errors
from kycrail.api.swipelux import errors as swipelux_errors
from kycrail.app import create_app
from tests.conftest import POSTGRES_URL
from tests.fuzz.test_schemathesis import Keys, _create_keys, run_chained
from tests.settings import settings_for

pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(POSTGRES_URL), reason="run in the SQLite pass")]

SEED = 20261207
MAX_EXAMPLES = 60  # per operation, on top of its examples: some 2,400 requests in all
MIN_CASES = 2_000
SCENARIOS = 100  # chained sequences, of up to STEPS operations each
STEPS = 8
ACCEPTED = ["2xx", "304", "401", "403", "404", "409", "412", "429"]  # and DOMAIN_STATUSES, by their code
# A request the document allows may still meet a rule of the domain: a share token spent or refused, an
# identity locked by a submitted review, a customer not in the state a decision needs, a file that is no
# document, a duplicate contact. Those answer with their own codes (each documented on its operation).
# What may never answer a valid request are the refusals of its shape, below: the document says what
# they check, so meeting one means the document and the server disagree.
SHAPE_REFUSALS: frozenset[type[e.KycrailError]] = frozenset(
    {
        e.ValidationFailed,
        e.InvalidHeader,
        e.MalformedBody,
        e.UnsupportedMediaType,
        e.IdempotencyKeyInvalid,
        e.MethodNotAllowed,
        e.RequestTimeout,
        e.AddressRequired,  # dependentRequired
        e.TaxIdentificationIncomplete,  # dependentRequired
        e.TaxDescriptionRequired,  # if type is other, then description
    }
)
DOMAIN_REFUSALS = frozenset(
    spec.code
    for table in (sphere_errors.ERRORS, swipelux_errors.ERRORS)
    for kind, spec in table.specs.items()
    if kind not in SHAPE_REFUSALS
)
DOMAIN_STATUSES = ["400", "413", "415", "422"]


def valid_phone_numbers() -> st.SearchStrategy[str]:
    """Numbers libphonenumber judges valid: each region's example numbers, of each kind."""
    numbers = set()
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                numbers.add(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164))
    return st.sampled_from(sorted(numbers))


schemathesis.openapi.format("phone", valid_phone_numbers())


def _config(keys: Keys, storage: Path) -> schemathesis.Config:
    checks = (
        "not_a_server_error",
        "positive_data_acceptance",
        "response_schema_conformance",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
    )
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "cache": {"enabled": False, "directory": str(storage / "cache")},
            "reports": {"directory": str(storage / "reports")},
            "generation": {
                "mode": "positive",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": False},  # its probes are negative by design
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True, "max-steps": STEPS},
            },
            "checks": {
                "enabled": False,
                **{name: {"enabled": True} for name in checks},
                # A domain refusal's status too: refused_only_by_the_domain then judges its code.
                "positive_data_acceptance": {
                    "enabled": True,
                    "expected-statuses": [*ACCEPTED, *DOMAIN_STATUSES],
                },
            },
            "auth": {"openapi": {"HTTPBearer": {"bearer": keys.api}}},
            "operations": [
                {"include-path-regex": "^/ops/", "headers": {"Authorization": f"Bearer {keys.reviewer}"}},
            ],
        }
    )


@pytest.fixture
def conformance_keys(fresh_sqlite_url: str) -> Keys:
    return asyncio.run(_create_keys(fresh_sqlite_url, "conformance"))


@pytest.fixture
def conformance_schema(
    fresh_sqlite_url: str, conformance_keys: Keys, fuzz_storage: Path, request: pytest.FixtureRequest
) -> Iterator[OpenApiSchema]:
    """The app on a fresh migrated SQLite file (as tests/fuzz/test_schemathesis.py builds it): both
    dialects, the back office, and the provider's webhook (whose 401 to a request SumSub did not sign
    is what the document promises)."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    app = create_app(
        settings_for(fresh_sqlite_url, sandbox=True, rate_limit_per_second=0, auth_failures_per_minute=0)
    )
    try:
        loaded = schemathesis.openapi.from_asgi(
            "/openapi.json", app, config=_config(conformance_keys, fuzz_storage)
        )
        yield loaded
    finally:
        asgi.shutdown_lifespans()


def refused_only_by_the_domain(ctx: CheckContext, response: Response, case: schemathesis.Case) -> None:
    """A 400, 413, 415 or 422 to a valid request is a rule of the domain (``DOMAIN_REFUSALS``), never
    a request the document allows refused as malformed."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return  # as positive_data_acceptance: a case a link filled in is not one the document vouches for
    if response.status_code in (400, 413, 415, 422):
        code = response.json().get("code")
        if code not in DOMAIN_REFUSALS:
            raise AssertionError(
                f"a request the document allows was refused as {code}: {response.text[:400]}"
            )


schema = schemathesis.pytest.from_fixture("conformance_schema")


@pytest.fixture(scope="module")
def cases() -> Iterator[collections.Counter[str]]:
    """The requests sent, by operation: the run must be large enough to mean something."""
    counted: collections.Counter[str] = collections.Counter()
    yield counted
    assert sum(counted.values()) >= MIN_CASES, f"only {sum(counted.values())} requests: {dict(counted)}"


@schema.parametrize()
def test_what_the_document_allows_is_accepted_and_answered_as_documented(
    case: schemathesis.Case, cases: collections.Counter[str]
) -> None:
    cases[case.operation.label] += 1
    case.call_and_validate(additional_checks=[refused_only_by_the_domain])


def test_chained_operations_keep_to_the_document(
    conformance_schema: OpenApiSchema, fresh_sqlite_url: str, conformance_keys: Keys
) -> None:
    """Sequences through the document's links (create a customer, then read, change, import into or
    delete it; create an endpoint, then its deliveries), each step generated in positive mode: where
    random ids only find 404s, these reach the 2xx answers and the domain's refusals."""
    run_chained(
        conformance_schema,
        fresh_sqlite_url,
        tenant="chained",
        configured={f"Bearer {conformance_keys.api}", f"Bearer {conformance_keys.reviewer}"},
        check=refused_only_by_the_domain,
        scenarios=SCENARIOS,
        steps=STEPS,
    )
