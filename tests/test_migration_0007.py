"""Migration 0007 (encryption at rest) on a database the previous version filled, on SQLite and PostgreSQL.

The rows at revision 0006 are written here the way 60c203d's repository, audit trail and idempotency
middleware wrote them (through ``sa.table`` definitions of the old columns, not the current metadata):
after the upgrade no plaintext canary is left in any table, and the app, given the key file the
migration sealed with, still serves, finds, deduplicates and replays what was there.

On disk, nothing is left either: not in space SQLite freed, not in PostgreSQL's dropped columns or dead
rows (the upgrade zeroes what it frees and vacuums the tables it rewrote).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
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
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from kycrail import migrate
from kycrail.api.common.idempotency import fingerprint
from kycrail.app import create_app
from kycrail.config import load_settings, to_async_database_url
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
REFUSAL = {  # 60c203d's v1 shape of a 400 (a rule the request broke): nothing personal in it
    "message": "US residents must give their SSN: taxIdentificationNumberType must be 'ssn'.",
    "code": "tax_identification_ssn_required",
    "errors": [],
    "retryable": False,
    "requestId": "b7f0c0de5a1e4c6f9d0b2a3c4d5e6f70",
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

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}


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
        {
            "id": gustav,
            "type": "individual",
            "firstName": "Gustav",
            "lastName": "Gonzaga",
            "email": GUSTAV_EMAIL,
        }
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


# --- migrating and looking at the result ----------------------------------------------------------


async def _migrated(url: str, key_file: Path, *, secure_delete_off: bool = False) -> Filled:
    """A new database taken to 0006, filled as the previous version did, then upgraded to head with the
    key file. ``secure_delete_off``: SQLite's upstream default (some builds, such as Debian's, turn it
    on), under which freed space keeps what it held."""
    engine = create_engine(to_async_database_url(url), pool_size=1)
    if secure_delete_off and engine.dialect.name == "sqlite":
        sa.event.listen(engine.sync_engine, "connect", _secure_delete_off)
    try:
        await migrate.upgrade(engine, "0006")
        filled = await _fill_0006(engine)
        # The scan below must see every canary where the previous version left it.
        assert set().union(*_canaries_in_rows(await _all_rows(engine)).values()) == set(CANARIES)
        await migrate.upgrade(engine, key_ring=lambda: ring_from_file(key_file))
        assert await migrate.is_at_head(engine)
        return filled
    finally:
        await engine.dispose()


def _secure_delete_off(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=OFF")
    cursor.close()


async def _schema_differences(engine: AsyncEngine) -> list[object]:
    """What Alembic's autogenerate would change to make the database match the code's tables."""
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )


def _tables(sync: sa.Connection) -> set[str]:
    return set(sa.inspect(sync).get_table_names()) - {"alembic_version"}


async def _table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return await connection.run_sync(_tables)


async def _all_rows(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as the driver returns it."""
    rows: dict[str, list[dict[str, Any]]] = {}
    async with engine.connect() as connection:
        for name in sorted(await connection.run_sync(_tables)):
            every_column: sa.Select[Any] = sa.select(sa.literal_column("*")).select_from(sa.table(name))
            rows[name] = [dict(row) for row in (await connection.execute(every_column)).mappings()]
    return rows


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return orjson.dumps(value)
    return str(value).encode()


def _canaries_in(data: bytes) -> set[str]:
    return {canary for canary in CANARIES if canary.encode() in data}


def _canaries_in_rows(rows: dict[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
    """Which canaries each ``table.column`` holds."""
    found: dict[str, set[str]] = {}
    for table, table_rows in rows.items():
        for row in table_rows:
            for column, value in row.items():
                if hits := _canaries_in(_as_bytes(value)):
                    found.setdefault(f"{table}.{column}", set()).update(hits)
    return found


def _sqlite_file_bytes(path: Path) -> bytes:
    """The database file once the WAL is folded in and emptied: what a copy of the disk holds."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


_RELATIONS = sa.text(
    "SELECT c.oid::regclass::text AS name, "
    "pg_relation_size(c.oid) / current_setting('block_size')::int AS blocks FROM pg_class c "
    "WHERE (c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')) "
    "OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relnamespace = 'public'::regnamespace)"
)


async def _raw_pages_scan(connection: AsyncConnection) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, blocks in await connection.execute(_RELATIONS):
        page = sa.text("SELECT get_raw_page(:name, :block)")
        pages = [await connection.scalar(page, {"name": name, "block": block}) for block in range(blocks)]
        if hits := _canaries_in(b"".join(pages)):
            found[name] = hits
    return found


async def _postgres_pages(url: str) -> dict[str, set[str]]:
    """Which canaries the pages of each table, index and TOAST table hold (dead tuples and dropped
    columns included: what a copy of the data directory holds). Needs pageinspect (a superuser)."""
    engine = create_engine(to_async_database_url(url), pool_size=1).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    try:
        async with engine.connect() as connection:
            try:
                await connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
            except sa.exc.DBAPIError:
                pytest.skip("reading raw pages needs the pageinspect extension (a superuser)")
            return await _raw_pages_scan(connection)
    finally:
        await engine.dispose()


def _no_key_ring() -> KeyRing:
    raise AssertionError("a database without customers needs no key ring")


# --- databases and the app ------------------------------------------------------------------------


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


ClientFactory = Callable[[str, Path], Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def open_client() -> AsyncIterator[ClientFactory]:
    """The app on a database with a key file, over ASGI (tests/conftest.py's ``app`` and ``client``)."""
    async with AsyncExitStack() as stack:

        async def factory(url: str, key_file: Path) -> httpx.AsyncClient:
            application = create_app(load_settings(database_url=url, key_file=key_file))
            await stack.enter_async_context(application.router.lifespan_context(application))
            transport = httpx.ASGITransport(app=application)
            return await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://kycrail.test")
            )

        yield factory


# --- the tests ------------------------------------------------------------------------------------


async def test_0007_seals_everything_0006_stored_in_plaintext(
    empty_database: str, key_file: Path, open_client: ClientFactory
) -> None:
    filled = await _migrated(empty_database, key_file)
    engine = create_engine(to_async_database_url(empty_database), pool_size=1)
    try:
        assert await _schema_differences(engine) == []
        rows = await _all_rows(engine)
    finally:
        await engine.dispose()

    assert _canaries_in_rows(rows) == {}
    # Every customer, deleted ones too, has a data key and a sealed document; only live ones are
    # found by email or phone.
    customers = {row["id"]: row for row in rows["customers"]}
    assert {row["customer_id"] for row in rows["data_keys"]} == set(customers)
    assert all(bytes(row["personal"])[:1] == b"\x01" for row in customers.values())
    assert customers[filled.zelphine]["email_index"]
    assert customers[filled.zelphine]["phone_index"]
    assert customers[filled.orvald]["email_index"]
    assert customers[filled.orvald]["phone_index"] is None
    assert customers[filled.gustav]["email_index"] is None
    documents = {row["id"]: row for row in rows["documents"]}
    assert bytes(documents[filled.document_id]["content"])[:1] == b"\x01"
    assert rows["share_token_imports"] == []
    # Answers about a customer are sealed under its key; a refusal and a success about no one go (a
    # refusal is now sealed under a key derived from the request, which 0006 never stored).
    kept = {row["key"]: row for row in rows["idempotency_keys"]}
    assert set(kept) == {"create-orvald", "create-gustav"}
    assert kept["create-orvald"]["customer_id"] == filled.orvald
    assert kept["create-gustav"]["customer_id"] == filled.gustav

    # The audit trail keeps its events; meta keys leave the paths, a reviewer's words are masked.
    client = await open_client(empty_database, key_file)
    events = await client.get(f"/v2/customer/{filled.zelphine}/events", headers=filled.headers)
    assert events.status_code == 200, events.text
    assert [event["changes"] for event in events.json()["events"]] == [
        [_masked("email"), _masked("identity.first_name"), _masked("meta.*"), _masked("type", "individual")],
        [
            _masked("criterion_errors.identity_document"),
            _masked("review.decision", "rejected"),
            {"field": "verification_status", "from": "pending", "to": "incomplete"},
        ],
        [_masked("meta.*")],
    ]


async def test_the_app_serves_finds_and_replays_what_0007_sealed(
    empty_database: str, key_file: Path, open_client: ClientFactory
) -> None:
    filled = await _migrated(empty_database, key_file)
    client = await open_client(empty_database, key_file)
    headers = filled.headers

    v1 = await client.get(f"/v1/customers/{filled.orvald}", headers=headers)
    assert v1.status_code == 200, v1.text
    assert (v1.json()["firstName"], v1.json()["email"]) == ("Orvald", ORVALD_EMAIL)
    v2 = await client.get(f"/v2/customer/{filled.zelphine}", headers=headers)
    assert v2.status_code == 200, v2.text
    body = v2.json()
    assert (body["firstName"], body["lastName"], body["email"]) == (
        "Zelphine",
        "Quarterstaff",
        ZELPHINE_EMAIL,
    )
    assert body["meta"] == {"source": "crm", META_KEY: "vip"}
    assert body["verificationProfiles"][0]["criteria"]["errors"] == [
        {"name": "identity_document", "message": REVIEWER_MESSAGE}
    ]
    for path in (f"/v1/customers/{filled.gustav}", f"/v2/customer/{filled.gustav}"):
        assert (await client.get(path, headers=headers)).status_code == 404

    # The email filter goes through the blind index the migration computed (the filter normalises).
    found = await client.get("/v1/customers", params={"email": ORVALD_EMAIL.upper()}, headers=headers)
    assert found.status_code == 200, found.text
    assert [customer["id"] for customer in found.json()["data"]] == [filled.orvald]

    # Live contacts stay unique; the deleted customer's former email is free.
    for taken in ({"email": ZELPHINE_EMAIL}, {"phone": ZELPHINE_PHONE}, {"email": ORVALD_EMAIL}):
        refused = await client.post("/v1/customers", json=taken, headers=headers)
        assert refused.status_code == 409, refused.text
        assert refused.json()["code"] == "customer_duplicate_contact"
    freed = await client.post("/v1/customers", json={"email": GUSTAV_EMAIL}, headers=headers)
    assert freed.status_code == 201, freed.text

    # Kept answers replay: about a live customer, opened with its key, byte for byte; the refusal as
    # it was; about the deleted customer, no more (as for the app's own answers).
    replay = await client.post(
        "/v1/customers", json=ORVALD_REQUEST, headers=headers | {"Idempotency-Key": "create-orvald"}
    )
    assert replay.status_code == 201, replay.text
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.content == filled.orvald_answer
    # The dropped refusal runs again (here it no longer refuses: a new customer).
    rerun = await client.post("/v1/customers", json={}, headers=headers | {"Idempotency-Key": "refused"})
    assert rerun.status_code == 201, rerun.text
    assert "Idempotent-Replayed" not in rerun.headers
    gone = await client.post(
        "/v1/customers", json={"email": GUSTAV_EMAIL}, headers=headers | {"Idempotency-Key": "create-gustav"}
    )
    # 404 or 410 (the wording is the app's): what matters is that no personal data comes back.
    assert gone.status_code in (404, 410), gone.text
    assert "Idempotent-Replayed" not in gone.headers
    assert _canaries_in(gone.content) == set()
    # The dropped success runs again (nothing to replay): here, a new customer.
    again = await client.post("/v1/customers", json={}, headers=headers | {"Idempotency-Key": "minted"})
    assert again.status_code == 201, again.text
    assert "Idempotent-Replayed" not in again.headers


async def test_after_0007_no_plaintext_is_left_on_disk(empty_database: str, key_file: Path) -> None:
    """Not in free space (SQLite, even where the build leaves secure_delete off), dropped columns or
    dead rows (PostgreSQL): ``migrate.upgrade`` zeroes freed pages during 0007 and vacuums after it."""
    await _migrated(empty_database, key_file, secure_delete_off=True)
    if empty_database.startswith("sqlite"):
        assert _canaries_in(_sqlite_file_bytes(Path(empty_database.split(":///", 1)[1]))) == set()
    else:
        assert await _postgres_pages(empty_database) == {}


async def test_an_empty_0006_database_needs_no_key_and_one_with_customers_does_not_go_down(
    empty_database: str, key_file: Path, open_client: ClientFactory
) -> None:
    engine = create_engine(to_async_database_url(empty_database), pool_size=1)
    try:
        await migrate.upgrade(engine, "0006")
        await migrate.upgrade(engine, key_ring=_no_key_ring)
        assert await migrate.is_at_head(engine)
        assert await _schema_differences(engine) == []
        # Empty, it goes down to nothing and back up (still without a key).
        await migrate.downgrade(engine, "base")
        assert await _table_names(engine) == set()
        await migrate.upgrade(engine, key_ring=_no_key_ring)
        assert await migrate.is_at_head(engine)
        secret = (await service.create_key(engine, "acme")).secret
    finally:
        await engine.dispose()

    client = await open_client(empty_database, key_file)
    headers = {"Authorization": f"Bearer {secret}"}
    created = await client.post("/v1/customers", json={"email": ORVALD_EMAIL}, headers=headers)
    assert created.status_code == 201, created.text

    # Personal data is never written back in plaintext: with a customer, the downgrade refuses, and
    # its transaction leaves the database as it was.
    engine = create_engine(to_async_database_url(empty_database), pool_size=1)
    try:
        with pytest.raises(RuntimeError, match="holding customers: restore a backup"):
            await migrate.downgrade(engine, "0006")
        assert await migrate.is_at_head(engine)
        assert await _schema_differences(engine) == []
    finally:
        await engine.dispose()
    found = await client.get(f"/v1/customers/{created.json()['id']}", headers=headers)
    assert found.status_code == 200, found.text
