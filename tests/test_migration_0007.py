"""Migration 0007 (encryption at rest) on a database the previous version filled, on SQLite and PostgreSQL.

The rows at revision 0006 are written here the way 60c203d's repository, audit trail and idempotency
middleware wrote them (through ``sa.table`` definitions of the old columns, not the current metadata):
after the upgrade no plaintext canary is left in any table, and the app, given the key file the
migration sealed with, still serves, finds, deduplicates and replays what was there.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import migrate
from kycrail.api.common.idempotency import fingerprint
from kycrail.app import create_app
from kycrail.config import Settings, load_settings, to_async_database_url
from kycrail.db import create_engine, metadata
from kycrail.tenants import service
from kycrail.vault.keyring import KeyRing, create_key_file, ring_from_file
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.slow  # each test migrates a new database (and, on PostgreSQL, creates one)

# --- the schema at 0006, as the previous version wrote it -----------------------------------------

Json = sa.JSON().with_variant(JSONB(), "postgresql")
Stamp = sa.DateTime(timezone=True)

old_customers = sa.table(
    "customers",
    *(sa.column(name, sa.String) for name in ("id", "tenant_id", "type", "email", "phone")),
    sa.column("verification_status", sa.String),
    *(
        sa.column(name, Json)
        for name in (
            "identity",
            "address",
            "operating_address",
            "business",
            "meta",
            "documents",
            "criterion_errors",
            "review",
            "sumsub",
        )
    ),
    *(sa.column(name, Stamp) for name in ("submitted_at", "created_at", "updated_at", "deleted_at")),
    sa.column("version", sa.Integer),
)
old_customer_counts = sa.table(
    "customer_counts",
    *(sa.column(name, sa.String) for name in ("tenant_id", "type", "verification_status")),
    sa.column("live", sa.Integer),
)
old_documents = sa.table(
    "documents",
    *(
        sa.column(name, sa.String)
        for name in ("id", "tenant_id", "customer_id", "document_type", "country", "content_type")
    ),
    sa.column("size_bytes", sa.Integer),
    sa.column("sha256", sa.String),
    sa.column("content", sa.LargeBinary),
    sa.column("source", sa.String),
    sa.column("created_at", Stamp),
)
old_customer_events = sa.table(
    "customer_events",
    *(
        sa.column(name, sa.String)
        for name in ("tenant_id", "customer_id", "kind", "key_prefix", "role", "request_id")
    ),
    sa.column("changes", Json),
    sa.column("occurred_at", Stamp),
)
old_idempotency_keys = sa.table(
    "idempotency_keys",
    *(sa.column(name, sa.String) for name in ("tenant_id", "key", "fingerprint", "state")),
    sa.column("status_code", sa.Integer),
    sa.column("response_headers", Json),
    sa.column("response_body", sa.LargeBinary),
    sa.column("created_at", Stamp),
    sa.column("updated_at", Stamp),
)
old_share_token_imports = sa.table(
    "share_token_imports",
    *(sa.column(name, sa.String) for name in ("tenant_id", "token_digest", "customer_id", "applicant_id")),
    sa.column("applied_at", Stamp),
    sa.column("created_at", Stamp),
)

# --- what the previous version stored in plaintext: none of it may survive the migration ----------

ZELPHINE_EMAIL = "zelphine.q@example.com"
ZELPHINE_PHONE = "+14155550123"
ORVALD_EMAIL = "orvald.h@example.com"
GUSTAV_EMAIL = "gustav.former@example.com"  # the deleted customer's, still in its kept answer
META_KEY = "zelphine.private@example.org"  # a client's meta key that is an email (it was a path)
REVIEWER_MESSAGE = "Passport of Zelphine Quarterstaff is blurry"
DOCUMENT_MARKER = b"PASSPORT-MARKER-7f3c9a"
APPLICANT_ID = "applicant-canary-61c0"
CANARIES = (
    "Zelphine",
    "Quarterstaff",
    ZELPHINE_EMAIL,
    ZELPHINE_PHONE,
    "987-65-4329",  # the SSN
    "233 South Wacker Drive",
    META_KEY,
    "is blurry",
    "Orvald",
    "Haddadine",
    ORVALD_EMAIL,
    "9 Rua Augusta",
    "Gustav",
    "Gonzaga",
    GUSTAV_EMAIL,
    "does not match",
    APPLICANT_ID,
    DOCUMENT_MARKER.decode(),
)
ORVALD_REQUEST = {
    "firstName": "Orvald",
    "lastName": "Haddadine",
    "email": ORVALD_EMAIL,
    "birthDate": "1985-02-03",
    "residentialAddress": {"streetLine1": "9 Rua Augusta", "city": "Lisboa", "country": "PRT"},
}
REFUSAL = {
    "status": 400,
    "detail": "A US tax identification number must be an SSN.",
    "code": "tax-identification/ssn-required",
    "correlationId": "b7f0c0de5a1e4c6f9d0b2a3c4d5e6f70",
    "errors": [],
}


def _customer_id() -> str:
    return f"customer_{uuid.uuid4().hex}"


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _wire(moment: datetime) -> str:
    # The dialects' timestamps: milliseconds, Z.
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _identity(**fields: Any) -> dict[str, Any]:
    """``_identity_to_json`` of 60c203d: every Identity field, None unless given."""
    names = (
        "first_name",
        "middle_name",
        "last_name",
        "date_of_birth",
        "tax",
        "nationality",
        "country_of_birth",
        "residency_country",
        "gender",
        "occupation_soc_code",
        "source_of_funds",
    )
    return {name: fields.get(name) for name in names}


def _masked(field: str, to: Any = "***") -> dict[str, Any]:
    return {"field": field, "from": None, "to": to}


@dataclass(frozen=True, slots=True)
class Filled:
    """What the previous version left behind, and how to reach it."""

    secret: str
    tenant_id: str
    zelphine: str  # live, reviewed, a document, meta keys
    orvald: str  # live, created under an Idempotency-Key through v1
    gustav: str  # deleted (its personal columns erased as 60c203d's DELETE did), a kept answer
    document_id: str
    orvald_answer: bytes  # the v1 body kept for the create's Idempotency-Key


async def _fill_0006(engine: AsyncEngine) -> Filled:
    # The tenants tables are the same at 0006 and at head: the current service writes them as it did.
    created = await service.create_key(engine, "acme")
    tenant = created.record.tenant_id
    reviewer = "kr_R3v13wer1"
    now = datetime.now(UTC).replace(microsecond=123456)  # recent: the pruners must leave it all
    t = [now - timedelta(minutes=30 - minute) for minute in range(10)]
    zelphine, orvald, gustav = _customer_id(), _customer_id(), _customer_id()
    document_id, liveness_id, gone_document = (f"document_{uuid.uuid4().hex}" for _ in range(3))
    content = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n" + DOCUMENT_MARKER + b"\n%%EOF\n"
    review = {
        "decision": "rejected",
        "final": False,
        "reasons": [{"criterion": "identity_document", "message": REVIEWER_MESSAGE}],
        "reviewed_at": _iso(t[3]),
        "reviewer": reviewer,
    }
    rows: list[dict[str, Any]] = [
        {
            "id": zelphine,
            "type": "individual",
            "email": ZELPHINE_EMAIL,
            "phone": ZELPHINE_PHONE,
            "verification_status": "incomplete",
            "identity": _identity(
                first_name="Zelphine",
                last_name="Quarterstaff",
                date_of_birth="1990-05-17",
                tax={"number": "987-65-4329", "type": "ssn", "country": "USA", "description": None},
                nationality="USA",
            ),
            "address": {
                "line1": "233 South Wacker Drive",
                "city": "Chicago",
                "country": "USA",
                "line2": "Suite 4700",
                "state": "IL",
                "postal_code": "60606",
            },
            "meta": {"source": "crm", META_KEY: "vip"},
            "documents": [
                {"id": document_id, "type": "passport", "status": "rejected", "created_at": _iso(t[1])},
                {"id": liveness_id, "type": "liveness_report", "status": "pending", "created_at": _iso(t[2])},
            ],
            "criterion_errors": {"identity_document": REVIEWER_MESSAGE},
            "review": review,
            "submitted_at": t[2],
            "created_at": t[0],
            "updated_at": t[4],
            "version": 5,
        },
        {
            "id": orvald,
            "type": "individual",
            "email": ORVALD_EMAIL,
            "phone": None,
            "verification_status": "incomplete",
            "identity": _identity(first_name="Orvald", last_name="Haddadine", date_of_birth="1985-02-03"),
            "address": {
                "line1": "9 Rua Augusta",
                "city": "Lisboa",
                "country": "PRT",
                "line2": None,
                "state": None,
                "postal_code": None,
            },
            "meta": {},
            "documents": [],
            "criterion_errors": {},
            "review": None,
            "submitted_at": None,
            "created_at": t[5],
            "updated_at": t[5],
            "version": 1,
        },
        {
            # 60c203d's erase(): contacts, address, identity and meta gone; the review, its reasons
            # (a reviewer's words) and the documents' summary kept.
            "id": gustav,
            "type": "individual",
            "email": None,
            "phone": None,
            "verification_status": "incomplete",
            "identity": _identity(),
            "address": None,
            "meta": {},
            "documents": [
                {"id": gone_document, "type": "selfie", "status": "rejected", "created_at": _iso(t[7])}
            ],
            "criterion_errors": {"selfie": "Selfie of Gustav Gonzaga does not match"},
            "review": {
                **review,
                "reasons": [{"criterion": "selfie", "message": "Selfie of Gustav Gonzaga does not match"}],
            },
            "submitted_at": t[7],
            "created_at": t[6],
            "updated_at": t[8],
            "deleted_at": t[8],
            "version": 4,
        },
    ]
    defaults = {"tenant_id": tenant, "operating_address": None, "business": None, "sumsub": None}
    orvald_answer = orjson.dumps(
        {
            "id": orvald,
            "type": "individual",
            "firstName": "Orvald",
            "middleName": None,
            "lastName": "Haddadine",
            "email": ORVALD_EMAIL,
            "phone": None,
            "birthDate": "1985-02-03",
            "country": "PRT",
            "residentialAddress": {
                "streetLine1": "9 Rua Augusta",
                "streetLine2": None,
                "city": "Lisboa",
                "state": None,
                "postalCode": None,
                "country": "PRT",
            },
            "legalName": None,
            "status": "incomplete",
            "metadata": {},
            "createdAt": _wire(t[5]),
            "updatedAt": _wire(t[5]),
        }
    )
    gustav_answer = orjson.dumps(
        {"id": gustav, "type": "individual", "firstName": "Gustav", "lastName": "Gonzaga", "email": GUSTAV_EMAIL}
    )

    def kept(key: str, request: bytes, status: int, body: bytes, *, etag: bool = True) -> dict[str, Any]:
        headers = {"content-type": "application/json"} | ({"etag": '"1"'} if etag else {})
        return {
            "tenant_id": tenant,
            "key": key,
            "fingerprint": fingerprint("POST", "/v1/customers", b"", request),
            "state": "completed",
            "status_code": status,
            "response_headers": headers,
            "response_body": body,
            "created_at": t[5],
            "updated_at": t[5],
        }

    api = {"tenant_id": tenant, "key_prefix": created.record.prefix, "role": "api"}
    async with engine.begin() as connection:
        await connection.execute(old_customers.insert(), [defaults | {"deleted_at": None} | r for r in rows])
        await connection.execute(
            old_customer_counts.insert(),
            [{"tenant_id": tenant, "type": "individual", "verification_status": "incomplete", "live": 2}],
        )
        document = {"tenant_id": tenant, "content_type": "application/pdf", "source": "upload"}
        await connection.execute(
            old_documents.insert(),
            [
                document
                | {
                    "id": document_id,
                    "customer_id": zelphine,
                    "document_type": "passport",
                    "country": "USA",
                    "size_bytes": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "content": content,
                    "created_at": t[1],
                },
                # A deleted customer's file was dropped at the delete (its row kept as history).
                document
                | {
                    "id": gone_document,
                    "customer_id": gustav,
                    "document_type": "selfie",
                    "country": None,
                    "size_bytes": 10,
                    "sha256": "0" * 64,
                    "content": None,
                    "created_at": t[7],
                },
            ],
        )
        await connection.execute(
            old_customer_events.insert(),
            [
                api
                | {
                    "customer_id": zelphine,
                    "kind": "customer.created",
                    "request_id": "req-created",
                    "changes": [
                        _masked("email"),
                        _masked("identity.first_name"),
                        _masked("meta.source"),
                        _masked("type", "individual"),
                    ],
                    "occurred_at": t[0],
                },
                {
                    "tenant_id": tenant,
                    "customer_id": zelphine,
                    "kind": "customer.reviewed",
                    "key_prefix": reviewer,
                    "role": "reviewer",
                    "request_id": "req-reviewed",
                    # 60c203d showed criterion_errors' values: a reviewer's words about the person.
                    "changes": [
                        _masked("criterion_errors.identity_document", REVIEWER_MESSAGE),
                        _masked("review.decision", "rejected"),
                        {"field": "verification_status", "from": "pending", "to": "incomplete"},
                    ],
                    "occurred_at": t[3],
                },
                api
                | {
                    "customer_id": zelphine,
                    "kind": "customer.updated",
                    "request_id": "req-updated",
                    "changes": [_masked(f"meta.{META_KEY}")],
                    "occurred_at": t[4],
                },
            ],
        )
        await connection.execute(
            old_idempotency_keys.insert(),
            [
                kept("create-orvald", orjson.dumps(ORVALD_REQUEST), 201, orvald_answer),
                kept("create-gustav", b'{"email":"' + GUSTAV_EMAIL.encode() + b'"}', 201, gustav_answer),
                kept("refused", b"{}", 400, orjson.dumps(REFUSAL), etag=False),
                # A success about no customer (60c203d kept the sandbox's token mint): it cannot be
                # sealed, so it goes.
                kept("minted", b"{}", 201, b'{"shareToken":"_act-sbx-secret"}', etag=False),
            ],
        )
        await connection.execute(
            old_share_token_imports.insert().values(
                tenant_id=tenant,
                token_digest="f" * 64,
                customer_id=orvald,
                applicant_id=APPLICANT_ID,
                applied_at=None,
                created_at=t[9],
            )
        )
    return Filled(created.secret, tenant, zelphine, orvald, gustav, document_id, orvald_answer)


# --- looking at the result ------------------------------------------------------------------------


async def _schema_differences(engine: AsyncEngine) -> list[object]:
    """What Alembic's autogenerate would change to make the database match the code's tables."""
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )


async def _all_rows(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (alembic_version included), as the driver returns it."""
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names())
        return {
            name: [dict(row) for row in (await connection.execute(sa.text(f'SELECT * FROM "{name}"'))).mappings()]
            for name in names
        }


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return orjson.dumps(value)
    return str(value).encode()


def _canaries_in(data: bytes) -> set[str]:
    return {canary for canary in CANARIES if canary.encode() in data}


def _canaries_in_rows(rows: dict[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for table, table_rows in rows.items():
        for row in table_rows:
            for column, value in row.items():
                if hits := _canaries_in(_as_bytes(value)):
                    found.setdefault(f"{table}.{column}", set()).update(hits)
    return found


def _sqlite_file_bytes(path: Path, *, vacuum: bool) -> bytes:
    """The database file after the WAL is folded in (and emptied): what a copy of the disk holds."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        if vacuum:
            connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _no_key_ring() -> KeyRing:
    raise AssertionError("a database without customers needs no key ring")


# --- databases ------------------------------------------------------------------------------------


@pytest.fixture
async def empty_database(tmp_path: Path) -> AsyncIterator[str]:
    """The URL of a new, empty database: a SQLite file, or (when configured) a new PostgreSQL database
    on the test server, dropped afterwards (tests/test_migrations.py's pattern)."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'kycrail.db'}"
        return
    base = make_url(to_async_database_url(POSTGRES_URL))
    name = f"kycrail_migration_{secrets.token_hex(4)}"
    admin = create_engine(base.render_as_string(hide_password=False), pool_size=1)
    admin = admin.execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "kycrail.keys"
    create_key_file(path)
    return path


async def _with_engine(url: str, use: Callable[[AsyncEngine], Any]) -> Any:
    engine = create_engine(to_async_database_url(url), pool_size=1)
    try:
        return await use(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def client_for() -> AsyncIterator[Callable[[Settings], Any]]:
    """The app on a given database and key file, over ASGI (tests/conftest.py's ``client``)."""
    opened: list[Any] = []

    async def open_client(settings: Settings) -> httpx.AsyncClient:
        application = create_app(settings)
        lifespan = application.router.lifespan_context(application)
        await lifespan.__aenter__()
        opened.append(lifespan)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://kycrail.test")
        opened.append(client)
        return client

    yield open_client
    for resource in reversed(opened):
        await resource.__aexit__(None, None, None)


# --- the tests ------------------------------------------------------------------------------------


async def test_a_filled_0006_database_is_sealed_and_still_served(
    empty_database: str, key_file: Path, client_for: Callable[[Settings], Any]
) -> None:
    engine = create_engine(to_async_database_url(empty_database), pool_size=1)
    try:
        await migrate.upgrade(engine, "0006")
        filled = await _fill_0006(engine)
        before = _canaries_in_rows(await _all_rows(engine))
        assert set().union(*before.values()) == set(CANARIES)  # the scan sees every canary at 0006

        await migrate.upgrade(engine, key_ring=lambda: ring_from_file(key_file))

        assert await migrate.is_at_head(engine)
        assert await _schema_differences(engine) == []
        rows = await _all_rows(engine)
        assert _canaries_in_rows(rows) == {}
    finally:
        await engine.dispose()

    # Every customer, deleted ones too, has a data key and a sealed document; only live ones are
    # findable by email or phone.
    customers = {row["id"]: row for row in rows["customers"]}
    assert {row["customer_id"] for row in rows["data_keys"]} == set(customers)
    assert all(bytes(row["personal"])[:1] == b"\x01" for row in customers.values())
    assert customers[filled.zelphine]["email_index"] and customers[filled.zelphine]["phone_index"]
    assert customers[filled.orvald]["email_index"] and customers[filled.orvald]["phone_index"] is None
    assert customers[filled.gustav]["email_index"] is None
    documents = {row["id"]: row for row in rows["documents"]}
    assert bytes(documents[filled.document_id]["content"])[:1] == b"\x01"
    assert rows["share_token_imports"] == []
    # Answers about a customer are sealed under its key; the refusal stays; a success about no one goes.
    kept = {row["key"]: row for row in rows["idempotency_keys"]}
    assert set(kept) == {"create-orvald", "create-gustav", "refused"}
    assert kept["create-orvald"]["customer_id"] == filled.orvald
    assert kept["create-gustav"]["customer_id"] == filled.gustav
    assert bytes(kept["create-orvald"]["response_body"]) != filled.orvald_answer
    assert kept["refused"]["customer_id"] is None
    assert orjson.loads(bytes(kept["refused"]["response_body"])) == REFUSAL

    if empty_database.startswith("sqlite"):
        path = Path(empty_database.split(":///", 1)[1])
        # Finding: 0007 runs in one transaction and cannot VACUUM, so the pages its DROP COLUMN
        # rewrites and frees may still hold plaintext in the file. What the migration does guarantee
        # is that nothing reachable remains: a VACUUM (the operator's step after the upgrade) leaves
        # none on disk.
        assert _canaries_in(_sqlite_file_bytes(path, vacuum=True)) == set()

    settings = load_settings(database_url=empty_database, key_file=key_file)
    client: httpx.AsyncClient = await client_for(settings)
    headers = {"Authorization": f"Bearer {filled.secret}"}

    v1 = await client.get(f"/v1/customers/{filled.orvald}", headers=headers)
    assert v1.status_code == 200, v1.text
    assert (v1.json()["firstName"], v1.json()["email"]) == ("Orvald", ORVALD_EMAIL)
    v2 = await client.get(f"/v2/customer/{filled.zelphine}", headers=headers)
    assert v2.status_code == 200, v2.text
    body = v2.json()
    assert (body["firstName"], body["lastName"], body["email"]) == ("Zelphine", "Quarterstaff", ZELPHINE_EMAIL)
    assert body["meta"] == {"source": "crm", META_KEY: "vip"}
    assert body["verificationProfiles"][0]["criteria"]["errors"] == [
        {"name": "identity_document", "message": REVIEWER_MESSAGE}
    ]
    for path in (f"/v1/customers/{filled.gustav}", f"/v2/customer/{filled.gustav}"):
        assert (await client.get(path, headers=headers)).status_code == 404

    found = await client.get("/v1/customers", params={"email": ORVALD_EMAIL.upper()}, headers=headers)
    assert found.status_code == 200, found.text
    assert [customer["id"] for customer in found.json()["data"]] == [filled.orvald]

    # The blind indexes the migration computed keep live contacts unique; the deleted one's are free.
    for taken in ({"email": ZELPHINE_EMAIL}, {"phone": ZELPHINE_PHONE}, {"email": ORVALD_EMAIL}):
        refused = await client.post("/v1/customers", json=taken, headers=headers)
        assert refused.status_code == 409, refused.text
        assert refused.json()["code"] == "customer_duplicate_contact"
    freed = await client.post("/v1/customers", json={"email": GUSTAV_EMAIL}, headers=headers)
    assert freed.status_code == 201, freed.text

    # The kept answers replay: the one about a live customer opened with its key, the refusal as it
    # was, the one about the deleted customer no more.
    replay = await client.post(
        "/v1/customers", json=ORVALD_REQUEST, headers=headers | {"Idempotency-Key": "create-orvald"}
    )
    assert replay.status_code == 201, replay.text
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.content == filled.orvald_answer
    refusal = await client.post("/v1/customers", json={}, headers=headers | {"Idempotency-Key": "refused"})
    assert (refusal.status_code, refusal.json()) == (400, REFUSAL)
    gone = await client.post(
        "/v1/customers", json={"email": GUSTAV_EMAIL}, headers=headers | {"Idempotency-Key": "create-gustav"}
    )
    assert gone.status_code == 404, gone.text
    # The success that was dropped runs again (here: a new customer, nothing to replay).
    again = await client.post("/v1/customers", json={}, headers=headers | {"Idempotency-Key": "minted"})
    assert again.status_code == 201, again.text
    assert "Idempotent-Replayed" not in again.headers

    events = await client.get(f"/v2/customer/{filled.zelphine}/events", headers=headers)
    assert events.status_code == 200, events.text
    assert [event["changes"] for event in events.json()["events"]] == [
        [
            _masked("email"),
            _masked("identity.first_name"),
            _masked("meta.*"),
            _masked("type", "individual"),
        ],
        [
            _masked("criterion_errors.identity_document"),
            _masked("review.decision", "rejected"),
            {"field": "verification_status", "from": "pending", "to": "incomplete"},
        ],
        [_masked("meta.*")],
    ]


async def test_an_empty_0006_database_needs_no_key_and_one_with_customers_does_not_go_down(
    empty_database: str, key_file: Path, client_for: Callable[[Settings], Any]
) -> None:
    engine = create_engine(to_async_database_url(empty_database), pool_size=1)
    try:
        await migrate.upgrade(engine, "0006")
        await migrate.upgrade(engine, key_ring=_no_key_ring)
        assert await _schema_differences(engine) == []
        # Empty, it goes down to nothing and back up (still without a key).
        await migrate.downgrade(engine, "base")
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names())
        assert set(names) <= {"alembic_version"}
        await migrate.upgrade(engine, key_ring=_no_key_ring)
        assert await migrate.is_at_head(engine)
    finally:
        await engine.dispose()

    settings = load_settings(database_url=empty_database, key_file=key_file)
    client: httpx.AsyncClient = await client_for(settings)
    secret = await _with_engine(empty_database, lambda engine: service.create_key(engine, "acme"))
    created = await client.post(
        "/v1/customers", json={"email": ORVALD_EMAIL}, headers={"Authorization": f"Bearer {secret.secret}"}
    )
    assert created.status_code == 201, created.text

    # The personal data is never written back in plaintext: the downgrade refuses, and changes nothing.
    engine = create_engine(to_async_database_url(empty_database), pool_size=1)
    try:
        with pytest.raises(RuntimeError, match="restore a backup"):
            await migrate.downgrade(engine, "0006")
        assert await migrate.is_at_head(engine)
        assert await _schema_differences(engine) == []
    finally:
        await engine.dispose()
