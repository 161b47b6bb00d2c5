"""Personal data is never at rest in plaintext, and an erased customer's data is gone for good
(issue 12, items 7a and 7b); the log check of tests/canary_logs.py catches what it must (item 7c).

Canary values, unique to each run, are written through the real API (both dialects, an upload, a
reviewer's reason, a SumSub import, every write under an Idempotency-Key so that sealed answers are
kept too, and every event delivered to webhooks whose receiver echoes what it got: the delivery log
keeps its answers), then the database's own files are scanned byte by byte for them: SQLite's main
file, its ``-wal`` and ``-shm``, before and after a checkpoint; PostgreSQL's table, TOAST and index files
and the WAL written meanwhile. Controls in this module prove that the scan finds a value that is there.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
import os
import random
import secrets
import string
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from anyascii import anyascii
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from kycrail.app import webhook_worker
from kycrail.config import Settings
from kycrail.customers import repository
from kycrail.customers.rules import normalise_phone
from kycrail.customers.tables import customers
from kycrail.db import metadata
from kycrail.documents.tables import documents as documents_table
from kycrail.idempotency.tables import idempotency_keys
from kycrail.screening.names import person_parts_tokens
from kycrail.storage import Storage
from kycrail.tenants.keys import Role
from kycrail.vault.envelope import CannotOpen, DataKey, context
from kycrail.vault.kek import KeyEncryptionKey, KeyUnavailable
from kycrail.vault.keyring import default_key_file
from kycrail.vault.tables import data_keys
from kycrail.vault.vault import Vault, WrappedKey
from kycrail.webhooks import deliveries
from kycrail.webhooks.tables import webhook_attempts, webhook_deliveries
from tests import canary_logs
from tests.api import documents
from tests.api.calls import mint
from tests.api.receiver import receiver
from tests.canary_logs import Canaries
from tests.conftest import POSTGRES_URL, KeyFactory
from tests.factories import jane
from tests.screening.listed import load, person
from tests.settings import settings_for

# --- fixtures: the sandbox app (a share token needs the emulator), acme's keys -------------------


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url, sandbox=True)


@pytest.fixture
async def headers(make_key: KeyFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {await make_key('acme')}"}


@pytest.fixture
async def reviewer_headers(make_key: KeyFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {await make_key('acme', Role.reviewer)}"}


@pytest.fixture
async def admin_headers(make_key: KeyFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {await make_key('acme', Role.admin)}"}


@pytest.fixture
async def other_headers(make_key: KeyFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {await make_key('globex')}"}


# --- the canaries ------------------------------------------------------------------------------


def _word(length: int = 10) -> str:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(length))


def _ssn() -> str:
    # A number the SSA could issue (rules.ssn refuses the others), random enough never to meet by chance.
    area = secrets.choice([n for n in range(100, 900) if n != 666])
    return f"{area:03d}-{secrets.randbelow(99) + 1:02d}-{secrets.randbelow(9999) + 1:04d}"


def _phone() -> str:
    while True:  # a valid US number (libphonenumber's check), not one of the 555 fictional ones
        exchange = secrets.randbelow(800) + 200
        candidate = f"+1415{exchange:03d}{secrets.randbelow(10_000):04d}"
        if exchange != 555:
            try:
                return normalise_phone(candidate)
            except ValueError:
                continue


class RunCanaries:
    """This run's values: each one only ever sent to kycrail, never stored by anything else."""

    def __init__(self) -> None:
        t = secrets.token_hex(6)
        born = date(1931, 1, 1) + timedelta(days=random.SystemRandom().randrange(60 * 365))
        # Non-ASCII in the first name: JSON writers escape it as \u00eb, so both forms are looked for.
        self.values: dict[str, str] = {
            "first name": f"Zoë{_word().capitalize()}",
            "last name": f"Quill{_word()}",
            "tax number": _ssn(),
            "email": f"canary.{t}@example.com",
            "phone": _phone(),
            "date of birth": born.isoformat(),
            "street": f"{secrets.randbelow(900) + 100} Canary{_word(8)} Street",
            "meta key": f"key{t}",
            "meta value": f"meta-canary-{t}",
            "reviewer reason": f"Blurry scan, canary {t}",
            "swipelux meta value": f"swipelux-canary-{t}",
        }
        self.passport_marker = f"DOCMARK-{t}-passport".encode()
        self.liveness_marker = f"DOCMARK-{t}-liveness".encode()

    def add(self, label: str, value: str) -> None:
        self.values[label] = value

    def needles(self) -> dict[str, list[bytes]]:
        """What to look for in raw bytes: each value in UTF-8 and JSON-escaped, tax numbers and phones
        also without their punctuation, document markers as they are."""
        found: dict[str, list[bytes]] = {}
        for label, value in self.values.items():
            forms = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
            if label in ("tax number", "phone"):
                forms.add(value.replace("-", "").lstrip("+"))
            found[label] = sorted(form.encode() for form in forms)
        found["passport bytes"] = [self.passport_marker]
        found["liveness report bytes"] = [self.liveness_marker]
        return found

    def in_text(self, body: str) -> list[str]:
        """The canaries an API answer shows (as sent, or JSON-escaped)."""
        return [
            label for label, forms in self.needles().items() if any(form.decode() in body for form in forms)
        ]


def _passport(marker: bytes) -> bytes:
    # Small on purpose (here and below): PostgreSQL compresses values beyond about 2 kB, and an
    # unsealed file must show its marker as it is.
    return documents.png() + marker


def _liveness_report(marker: bytes) -> bytes:
    return documents.pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + marker + b"\n", 1)


# --- the writes ------------------------------------------------------------------------------


@dataclass
class Written:
    canaries: RunCanaries
    sphere_id: str  # created and reviewed in the Sphere dialect, with two documents
    swipelux_id: str  # created in the Swipelux dialect, then a SumSub import
    control_id: str  # another customer of the tenant, left alone
    # Each JSON write as sent: (method, path, body, Idempotency-Key). The uploads had keys too.
    writes: list[tuple[str, str, dict[str, Any], str]]
    # The delivery logs of the tenant's two webhooks (one per dialect), whose receiver echoed each body.
    delivery_logs: tuple[str, ...] = ()


def _keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def write_canaries(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    other_headers: dict[str, str],
    storage: Storage,
    settings: Settings,
    log_canaries: Canaries,
) -> Written:
    """The canaries written through the API, each event they make delivered to the tenant's webhooks
    (one per dialect), whose receiver answers with the body it got."""
    with receiver(echo=True) as echo:
        logs = tuple(
            [
                f"/v2/webhook/{await _webhook(client, headers, '/v2/webhook', echo.url)}/deliveries",
                f"/v1/webhooks/{await _webhook(client, headers, '/v1/webhooks', echo.url)}/deliveries",
            ]
        )
        written = await _write_through_the_api(
            client, headers, reviewer_headers, other_headers, storage, log_canaries
        )
        await deliver_everything(storage, settings)
    # The control: the receiver got the canaries, and its answers' first 1 KB (what the log keeps) too.
    excerpts = " ".join(
        one.body[: deliveries.EXCERPT_BYTES].decode("utf-8", "replace") for one in echo.requests
    )
    assert written.canaries.in_text(excerpts), "no canary was echoed: the delivery log's checks prove nothing"
    assert all(one.status == 200 for one in echo.requests)
    return dataclasses.replace(written, delivery_logs=logs)


async def _webhook(client: httpx.AsyncClient, headers: dict[str, str], path: str, url: str) -> str:
    body = {"url": url, "events": ["*"]} | ({"name": "echo"} if path.startswith("/v2") else {})
    created = await client.post(path, json=body, headers=headers)
    assert created.status_code == 201, created.text
    endpoint_id: str = created.json()["id"]
    return endpoint_id


async def deliver_everything(storage: Storage, settings: Settings) -> None:
    """Fan out and send until nothing is left due (every receiver here answers at once)."""
    worker = webhook_worker(storage, settings)
    try:
        for _ in range(20):
            dispatched = await worker.dispatch_once()
            if await worker.deliver_once() == 0 and dispatched == 0:
                return
        raise AssertionError("the worker never went idle")
    finally:
        await worker.aclose()


async def _write_through_the_api(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    other_headers: dict[str, str],
    storage: Storage,
    log_canaries: Canaries,
) -> Written:
    c = RunCanaries()
    v = c.values
    k = secrets.token_hex(6)  # the keys are stored as they are: nothing of a canary in them
    # A list entry one letter off the canary's name (the lists are public and stored as they are: an
    # entry spelled as the canary would be found in them): the customer is a hit, and the hit's
    # explanation holds the canary's own name tokens, as the screening wrote them.
    await load(
        storage, person("77001", f"{v['last name'][:-1].upper()}Z, {anyascii(v['first name']).upper()}")
    )
    for label in ("first name", "last name"):
        [token] = person_parts_tokens(v[label], "", "")
        c.add(f"{label} as screened", token.text)
    create_body = jane(
        email=v["email"],
        phone=v["phone"],
        address={
            "line1": v["street"],
            "city": "Chicago",
            "state": "IL",
            "postalCode": "60606",
            "country": "USA",
        },
        personalInformation={
            "firstName": v["first name"],
            "lastName": v["last name"],
            "dateOfBirth": v["date of birth"],
            "nationality": "USA",
            "taxIdentificationNumber": v["tax number"],
            "taxIdentificationNumberType": "ssn",
            "taxIdentificationNumberCountry": "USA",
        },
        meta={"source": "data-at-rest"},
    )
    created = await client.post("/v2/customer", json=create_body, headers=_keyed(headers, f"create-{k}"))
    assert created.status_code == 201, created.text
    sphere_id = created.json()["id"]
    # The control: she is a hit (a sealed explanation holding her name tokens is on record).
    assert "sanctions_screening" in created.json()["verificationProfiles"][0]["criteria"]["pending"]

    patch = {"meta": {v["meta key"]: v["meta value"]}}
    patched = await client.patch(
        f"/v2/customer/{sphere_id}", json=patch, headers=_keyed(headers, f"patch-{k}")
    )
    assert patched.status_code == 200, patched.text

    for document_type, content, name, declared, key in (
        ("passport", _passport(c.passport_marker), "passport.png", "image/png", f"passport-{k}"),
        (
            "liveness_report",
            _liveness_report(c.liveness_marker),
            "liveness.pdf",
            "application/pdf",
            f"liveness-{k}",
        ),
    ):
        data = {"target": "customer", "targetId": sphere_id, "documentType": document_type, "country": "USA"}
        uploaded = await client.post(
            "/v2/document",
            data=data,
            files={"file": (name, content, declared)},
            headers=_keyed(headers, key),
        )
        assert uploaded.status_code == 201, uploaded.text

    review_path = f"/ops/customers/{sphere_id}/review"
    review = {
        "decision": "rejected",
        "final": False,
        "reasons": [{"criterion": "identity_document", "message": v["reviewer reason"]}],
    }
    reviewed = await client.post(review_path, json=review, headers=_keyed(reviewer_headers, f"review-{k}"))
    assert reviewed.status_code == 200, reviewed.text
    assert c.in_text(reviewed.text), "the answer kept for a retry shows the reviewer's reason"

    swipelux_create = {"metadata": {"ref": v["swipelux meta value"]}}
    swiped = await client.post(
        "/v1/customers", json=swipelux_create, headers=_keyed(headers, f"swipelux-create-{k}")
    )
    assert swiped.status_code == 201, swiped.text
    swipelux_id = swiped.json()["id"]
    token = await mint(client, headers)
    c.add("share token", token)
    swipelux_put = {"shareToken": token, "metadata": {"ref": v["swipelux meta value"]}}
    imported = await client.put(
        f"/v1/customers/{swipelux_id}", json=swipelux_put, headers=_keyed(headers, f"swipelux-put-{k}")
    )
    assert imported.status_code == 200, imported.text
    # The SumSub link: the applicant the import created, a random id of this run.
    async with storage.engine.connect() as connection:
        row = (await connection.execute(select(customers).where(customers.c.id == swipelux_id))).one()
        key = await repository.data_key(connection, storage.vault, row.tenant_id, swipelux_id)
    personal = json.loads(key.open(row.personal, context(swipelux_id, repository.PERSONAL_FIELD)))
    c.add("SumSub applicant id", personal["sumsub"]["applicant_id"])

    control = await client.post("/v2/customer", json=jane(), headers=headers)
    assert control.status_code == 201, control.text
    # Another tenant's customer: its data key is one more that must not open the canaries' copies.
    assert (await client.post("/v1/customers", json={}, headers=other_headers)).status_code == 201

    for label, value in c.values.items():
        log_canaries.add(label, value)
    log_canaries.add("passport bytes", c.passport_marker.decode())
    log_canaries.add("liveness report bytes", c.liveness_marker.decode())
    writes = [
        ("POST", "/v2/customer", create_body, f"create-{k}"),
        ("PATCH", f"/v2/customer/{sphere_id}", patch, f"patch-{k}"),
        ("POST", review_path, review, f"review-{k}"),
        ("POST", "/v1/customers", swipelux_create, f"swipelux-create-{k}"),
        ("PUT", f"/v1/customers/{swipelux_id}", swipelux_put, f"swipelux-put-{k}"),
    ]
    return Written(c, sphere_id, swipelux_id, control.json()["id"], writes)


async def erase(client: httpx.AsyncClient, admin_headers: dict[str, str], *customer_ids: str) -> None:
    for customer_id in customer_ids:
        erased = await client.post(f"/ops/customers/{customer_id}/erase", headers=admin_headers)
        assert erased.status_code == 204, erased.text


# --- scanning files --------------------------------------------------------------------------


def scan(paths: Iterable[Path], needles: dict[str, list[bytes]]) -> list[tuple[str, str]]:
    """(canary, file) for every canary found in a file's raw bytes. A file that cannot be read fails
    the test: a scan that silently skips files would prove nothing."""
    found = []
    for path in paths:
        try:
            content = path.read_bytes()
        except OSError as exc:
            pytest.fail(
                f"cannot read {path} ({exc.__class__.__name__}: {exc.strerror}): the scan needs every file"
            )
        found += [(label, str(path)) for label, forms in needles.items() if any(f in content for f in forms)]
    return found


def _size(path: Path) -> int:
    return path.stat().st_size


def sqlite_files(settings: Settings) -> list[Path]:
    database = settings.sqlite_path
    assert database is not None
    return [path for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")) if path.exists()]


async def sqlite_checkpoint(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        busy, _, _ = (await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    assert busy == 0, "a reader held the WAL: the checkpoint did not merge it"


# --- SQLite ----------------------------------------------------------------------------------


@pytest.mark.sqlite_only
async def test_the_scan_finds_a_value_stored_in_plaintext_in_sqlite(
    engine: AsyncEngine, settings: Settings
) -> None:
    """The control: a canary written as it is (and one JSON-escaped) is found, in the WAL and then,
    after a checkpoint, in the main file. The scans below can fail."""
    plain, escaped = f"control-{secrets.token_hex(8)}", f"contrôle-{secrets.token_hex(8)}"
    needles = {"plain": [plain.encode()], "escaped": [json.dumps(escaped)[1:-1].encode()]}
    async with engine.begin() as connection:
        await connection.exec_driver_sql("CREATE TABLE plaintext_control (value TEXT)")
        await connection.execute(
            text("INSERT INTO plaintext_control VALUES (:a), (:b)"), {"a": plain, "b": json.dumps(escaped)}
        )
    database = settings.sqlite_path
    assert database is not None
    wal = Path(f"{database}-wal")
    assert sorted(scan(sqlite_files(settings), needles)) == [("escaped", str(wal)), ("plain", str(wal))]
    await sqlite_checkpoint(engine)
    assert sorted(scan(sqlite_files(settings), needles)) == [
        ("escaped", str(database)),
        ("plain", str(database)),
    ]


@pytest.mark.sqlite_only
async def test_no_canary_is_in_the_sqlite_files_before_or_after_a_checkpoint_or_an_erasure(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    admin_headers: dict[str, str],
    other_headers: dict[str, str],
    storage: Storage,
    engine: AsyncEngine,
    settings: Settings,
    canaries: Canaries,
) -> None:
    written = await write_canaries(
        client, headers, reviewer_headers, other_headers, storage, settings, canaries
    )
    needles = written.canaries.needles()
    database = settings.sqlite_path
    assert database is not None
    wal = Path(f"{database}-wal")
    # Our own control: the writes are in the WAL, unmerged (a customer id is a plain column).
    ids = {"customer id": [written.sphere_id.encode()]}
    assert [path.name for path in sqlite_files(settings)] == [
        "kycrail.db",
        "kycrail.db-wal",
        "kycrail.db-shm",
    ]
    assert _size(wal) > 0
    assert scan(sqlite_files(settings), ids) == [("customer id", str(wal))]
    assert scan(sqlite_files(settings), needles) == []

    await sqlite_checkpoint(engine)
    assert scan([database], ids) == [("customer id", str(database))]
    assert scan(sqlite_files(settings), needles) == []

    # Erasing writes no plaintext either (the audit event names fields, never values).
    await erase(client, admin_headers, written.sphere_id, written.swipelux_id)
    assert scan(sqlite_files(settings), needles) == []
    await sqlite_checkpoint(engine)
    assert scan(sqlite_files(settings), needles) == []


@pytest.mark.sqlite_only
async def test_a_refused_write_kept_for_retries_holds_no_canary(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    engine: AsyncEngine,
    settings: Settings,
    canaries: Canaries,
) -> None:
    # Meta keys are the client's own words (an email, a name): the audit trail never shows one.
    email = canaries.add("meta key", f"refused.{secrets.token_hex(6)}@example.com")
    body = jane(meta={email: {"nested": "not allowed"}})
    refused = await client.post(
        "/v2/customer", json=body, headers=_keyed(headers, f"refused-{secrets.token_hex(6)}")
    )
    assert refused.status_code == 422, refused.text
    assert email in refused.text  # the refusal points at the key: kept, it is sealed
    await sqlite_checkpoint(engine)
    assert scan(sqlite_files(settings), {"meta key": [email.encode()]}) == []
    retried = await client.post("/v2/customer", json=body, headers=refused.request.headers)
    assert retried.headers["idempotent-replayed"] == "true"
    assert retried.content == refused.content  # the same request derives the key that opens it


# --- PostgreSQL ------------------------------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    POSTGRES_URL is None,
    reason="KYCRAIL_TEST_DATABASE_URL is not set: scanning PostgreSQL's files needs a PostgreSQL server",
)


@asynccontextmanager
async def autocommit(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


async def data_directory(connection: AsyncConnection) -> Path:
    return _local((await connection.exec_driver_sql("SHOW data_directory")).scalar_one())


def _local(directory: str) -> Path:
    if not Path(directory).is_dir():
        pytest.fail(
            f"PostgreSQL's data directory {directory} is not on this machine (or not readable here): this "
            "test scans the server's own files, so it needs the server to run beside the tests"
        )
    return Path(directory)


_RELATIONS = """
WITH tables AS (
    SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm', 'S')
), toasts AS (
    SELECT c.reltoastrelid AS oid FROM pg_class c JOIN tables USING (oid) WHERE c.reltoastrelid <> 0
), indexes AS (
    SELECT i.indexrelid AS oid FROM pg_index i
    WHERE i.indrelid IN (SELECT oid FROM tables UNION SELECT oid FROM toasts)
)
SELECT c.relname, pg_relation_filepath(c.oid) AS path FROM pg_class c
WHERE c.oid IN (SELECT oid FROM tables UNION SELECT oid FROM toasts UNION SELECT oid FROM indexes)
"""


async def relation_files(connection: AsyncConnection, directory: Path) -> dict[str, list[Path]]:
    """Every file of every table of the schema, of its TOAST table and of their indexes."""
    rows = (await connection.exec_driver_sql(_RELATIONS)).all()
    return {name: _forks_and_segments(name, directory / relative) for name, relative in rows}


def _forks_and_segments(name: str, base: Path) -> list[Path]:
    """The main fork and its 1 GB segments, and the free space, visibility and init forks if any."""
    if not base.exists():
        pytest.fail(f"{name}: {base} is missing (or not readable by this user)")
    paths = [base]
    segment = 1
    while (extra := Path(f"{base}.{segment}")).exists():
        paths.append(extra)
        segment += 1
    return paths + [fork for suffix in ("_fsm", "_vm", "_init") if (fork := Path(f"{base}{suffix}")).exists()]


async def wal_segment(connection: AsyncConnection) -> str:
    """The name of the WAL segment being written now."""
    query = "SELECT pg_walfile_name(pg_current_wal_insert_lsn())"
    return str((await connection.exec_driver_sql(query)).scalar_one())


def wal_files_between(directory: Path, first: str, last: str) -> list[Path]:
    """The WAL segments from ``first`` to ``last``: everything written meanwhile."""
    return _segments(directory / "pg_wal", first, last)


def _segments(wal: Path, first: str, last: str) -> list[Path]:
    # Should a checkpoint have recycled one of them meanwhile (renamed for reuse, its bytes still
    # there), every segment is scanned instead.
    segments = sorted(path for path in wal.iterdir() if len(path.name) == 24 and path.is_file())
    chosen = [path for path in segments if path.name[:8] == first[:8] and first <= path.name <= last]
    if not chosen or chosen[0].name != first or chosen[-1].name != last:
        return segments
    return chosen


@needs_postgres
async def test_the_scan_finds_a_value_stored_in_plaintext_in_postgresql(engine: AsyncEngine) -> None:
    """The control: a canary in a plain text column is found in the table's file after a checkpoint,
    and in the WAL written meanwhile. The scans below can fail."""
    plain = f"control-{secrets.token_hex(8)}"
    needles = {"plain": [plain.encode()]}
    async with autocommit(engine) as connection:
        directory = await data_directory(connection)
        start = await wal_segment(connection)
        await connection.exec_driver_sql("CREATE TABLE plaintext_control (value text)")
        try:
            await connection.execute(text("INSERT INTO plaintext_control VALUES (:v)"), {"v": plain})
            wal = wal_files_between(directory, start, await wal_segment(connection))
            assert {label for label, _ in scan(wal, needles)} == {"plain"}
            await connection.exec_driver_sql("CHECKPOINT")
            files = await relation_files(connection, directory)
            assert [(label, path) for label, path in scan(files["plaintext_control"], needles)] == [
                ("plain", str(files["plaintext_control"][0]))
            ]
        finally:
            await connection.exec_driver_sql("DROP TABLE plaintext_control")


@needs_postgres
async def test_no_canary_is_in_postgresql_files_or_wal(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    other_headers: dict[str, str],
    storage: Storage,
    engine: AsyncEngine,
    settings: Settings,
    canaries: Canaries,
) -> None:
    async with autocommit(engine) as connection:
        directory = await data_directory(connection)
        start = await wal_segment(connection)
    written = await write_canaries(
        client, headers, reviewer_headers, other_headers, storage, settings, canaries
    )
    needles = written.canaries.needles()
    ids = {"customer id": [written.sphere_id.encode()]}
    async with autocommit(engine) as connection:
        # The WAL first: the checkpoint may recycle segments it no longer needs.
        wal = wal_files_between(directory, start, await wal_segment(connection))
        assert {label for label, _ in scan(wal, ids)} == {"customer id"}  # the writes are in there
        assert scan(wal, needles) == []

        await connection.exec_driver_sql("CHECKPOINT")
        files = await relation_files(connection, directory)
    assert {table.name for table in metadata.sorted_tables} <= files.keys()
    assert scan(files["customers"], ids), "the customers table's file holds the customers' ids"
    assert scan([path for paths in files.values() for path in paths], needles) == []


# --- 7b: after an erasure ----------------------------------------------------------------------


@dataclass(frozen=True)
class SealedCopy:
    """A sealed value as a backup holds it: whose it is, which field, the bytes."""

    what: str
    owner: str
    field: str
    sealed: bytes


async def backup(storage: Storage, written: Written) -> list[SealedCopy]:
    """What a backup taken now would hold of the canaries' customers: their sealed personal documents,
    their sealed files and the sealed answers kept for retries."""
    owners = (written.sphere_id, written.swipelux_id)
    async with storage.engine.connect() as connection:
        people = (await connection.execute(select(customers).where(customers.c.id.in_(owners)))).all()
        files = (
            await connection.execute(select(documents_table).where(documents_table.c.customer_id.in_(owners)))
        ).all()
        answers = (
            await connection.execute(
                select(idempotency_keys).where(idempotency_keys.c.customer_id.in_(owners))
            )
        ).all()
        echoed = (
            await connection.execute(
                select(webhook_attempts, webhook_deliveries.c.customer_id)
                .join(webhook_deliveries, webhook_deliveries.c.id == webhook_attempts.c.delivery_id)
                .where(webhook_deliveries.c.customer_id.in_(owners))
            )
        ).all()
    copies = [
        SealedCopy("personal", row.id, repository.PERSONAL_FIELD, bytes(row.personal)) for row in people
    ]
    copies += [
        SealedCopy("document", row.customer_id, f"documents.{row.id}.content", bytes(row.content))
        for row in files
    ]
    copies += [
        SealedCopy(
            "kept answer",
            row.customer_id,
            f"idempotency_keys.{row.key}.response_body",
            bytes(row.response_body),
        )
        for row in answers
    ]
    # Seven kept answers: the two creates, the patch, the two uploads, the review, the import.
    assert sorted(copy.what for copy in copies) == ["document"] * 2 + ["kept answer"] * 7 + ["personal"] * 2
    # And what the receiver answered to every delivery about them (it echoed each body).
    assert all(row.response_sealed is not None for row in echoed)
    copies += [
        SealedCopy(
            "delivery answer",
            row.customer_id,
            deliveries.response_field(row.delivery_id, row.attempted_at),
            bytes(row.response_sealed),
        )
        for row in echoed
    ]
    assert {copy.owner for copy in copies if copy.what == "delivery answer"} == set(owners)
    return copies


async def every_data_key(storage: Storage) -> list[tuple[str, DataKey]]:
    """(owner, key) of every data key still stored, opened through the key ring by a fresh vault (no
    key remembered from earlier reads)."""
    vault = Vault(storage.vault.ring)
    async with storage.engine.connect() as connection:
        rows = (await connection.execute(select(data_keys))).all()
    return [
        (
            row.customer_id,
            await vault.open_data_key(
                row.tenant_id, row.customer_id, WrappedKey(row.kek_id, bytes(row.wrapped_key))
            ),
        )
        for row in rows
    ]


def key_file_of(settings: Settings) -> Path:
    if settings.key_file is not None:
        return settings.key_file
    assert settings.sqlite_path is not None
    return default_key_file(settings.sqlite_path)


def raw_keys(settings: Settings, storage: Storage) -> dict[str, bytes]:
    """Every key of the key ring as raw bytes (the KEKs and the blind-index key), from its key file."""
    data = json.loads(key_file_of(settings).read_text())
    keks = {f"KEK {entry['id']}": base64.b64decode(entry["key"]) for entry in data["keks"]}
    assert {name.removeprefix("KEK ") for name in keks} == {kek.id for kek in storage.vault.ring.keks}
    return keks | {"blind-index key": base64.b64decode(data["blind_index_key"])}


async def test_after_an_erasure_no_answer_shows_a_canary_and_no_key_opens_a_backup(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    admin_headers: dict[str, str],
    other_headers: dict[str, str],
    storage: Storage,
    settings: Settings,
    canaries: Canaries,
) -> None:
    written = await write_canaries(
        client, headers, reviewer_headers, other_headers, storage, settings, canaries
    )
    c = written.canaries
    copies = await backup(storage, written)
    # The control: before the erasure each copy opens with its owner's key and holds canaries.
    keys = dict(await every_data_key(storage))
    echoed = ""
    for copy in copies:
        opened = (
            keys[copy.owner].open(copy.sealed, context(copy.owner, copy.field)).decode("utf-8", "replace")
        )
        if copy.what == "delivery answer":  # some messages name only a status: all of them together
            echoed += opened
        # An upload's answer describes the document (id, type, status): nothing to recognise in it.
        elif ".passport-" not in copy.field and ".liveness-" not in copy.field:
            assert c.in_text(opened), (
                f"{copy.what} of {copy.owner} holds no canary: the control proves nothing"
            )
    assert c.in_text(echoed), "the receiver's answers hold no canary: the control proves nothing"

    # The control: while they live, the delivery logs show what the receiver echoed.
    for path in written.delivery_logs:
        logged = await client.get(path, headers=headers)
        assert logged.status_code == 200, logged.text
        assert c.in_text(logged.text), f"{path} shows no canary: its check after the erasure proves nothing"

    # The Swipelux customer is deleted first (its sealed record is kept for the retention period),
    # then both are erased.
    deleted = await client.delete(f"/v1/customers/{written.swipelux_id}", headers=headers)
    assert deleted.status_code == 204, deleted.text
    await erase(client, admin_headers, written.sphere_id, written.swipelux_id)

    answers: list[httpx.Response] = []
    trails = {
        written.sphere_id: [
            "customer.created",
            "customer.screening_hit",
            "customer.updated",
            "customer.document_added",
            "customer.document_added",
            "customer.reviewed",
            "customer.erased",
        ],
        written.swipelux_id: [
            "customer.created",
            "customer.kyc_imported",
            "customer.deleted",
            "customer.erased",
        ],
    }
    for customer_id in (written.sphere_id, written.swipelux_id):
        for path in (f"/v2/customer/{customer_id}", f"/v1/customers/{customer_id}"):
            gone = await client.get(path, headers=headers)
            assert gone.status_code == 404, gone.text
            answers.append(gone)
        for path, listing in (
            (f"/v2/customer/{customer_id}/events", "events"),
            (f"/v1/customers/{customer_id}/events", "data"),
        ):
            events = await client.get(path, headers=headers)
            assert events.status_code == 200, events.text
            # The trail is all there, each write named and its values masked.
            assert [event["type"] for event in events.json()[listing]] == trails[customer_id]
            answers.append(events)
    for path in written.delivery_logs:
        logged = await client.get(path, headers=headers)
        assert logged.status_code == 200, logged.text
        # Every attempt is still there, each answer's status code with it.
        listed = logged.json()["deliveries" if path.startswith("/v2") else "data"]  # each dialect its shape
        attempts = [attempt for delivery in listed for attempt in delivery["attempts"]]
        assert attempts
        assert {attempt["statusCode"] for attempt in attempts} == {200}
        answers.append(logged)
    answers.append(await client.get("/v2/customer?limit=100", headers=headers))
    assert [customer["id"] for customer in answers[-1].json()["customers"]] == [written.control_id]
    with quiet_test_client():
        by_email = await client.get("/v1/customers", params={"email": c.values["email"]}, headers=headers)
    assert by_email.json()["total"] == 0
    answers.append(by_email)
    # Retries of every kept write: none replays its answer, none runs again.
    for method, path, body, key in written.writes:
        sender = reviewer_headers if path.startswith("/ops/") else headers
        retry = await client.request(method, path, json=body, headers=_keyed(sender, key))
        # Not found, or gone: never the kept answer (and never a 409: it is the same request).
        assert retry.status_code in (404, 410), (method, path, retry.status_code, retry.text)
        assert "idempotent-replayed" not in retry.headers
        answers.append(retry)
    for answer in answers:
        assert c.in_text(answer.text) == [], (answer.request.method, answer.request.url.path)

    # The backup's copies: no data key left in the database opens them, nor any key of the ring.
    # The process forgot the keys as well.
    assert storage.vault.opened(written.sphere_id) is storage.vault.opened(written.swipelux_id) is None
    remaining = await every_data_key(storage)
    assert {owner for owner, _ in remaining} >= {written.control_id}
    assert {owner for owner, _ in remaining}.isdisjoint({written.sphere_id, written.swipelux_id})
    candidates = [(f"data key of {owner}", key) for owner, key in remaining]
    candidates += [(name, DataKey(raw)) for name, raw in raw_keys(settings, storage).items()]
    for copy in copies:
        where = context(copy.owner, copy.field)
        opened_by = [name for name, key in candidates if _opens(key, copy.sealed, where)]
        # A KEK used the way it wraps data keys: still nothing.
        opened_by += [kek.id for kek in storage.vault.ring.keks if await _unwraps(kek, copy.sealed, where)]
        assert opened_by == [], f"the backup's {copy.what} of {copy.owner} opens with {opened_by}"
    # The control: the keys tried do open what they sealed (the live customer's record).
    async with storage.engine.connect() as connection:
        row = (await connection.execute(select(customers).where(customers.c.id == written.control_id))).one()
    control_key = dict(remaining)[written.control_id]
    assert b"Jane" in control_key.open(
        bytes(row.personal), context(written.control_id, repository.PERSONAL_FIELD)
    )


def _opens(key: DataKey, sealed: bytes, where: bytes) -> bool:
    try:
        key.open(sealed, where)
    except CannotOpen:
        return False
    return True


async def _unwraps(kek: KeyEncryptionKey, sealed: bytes, where: bytes) -> bool:
    try:
        await kek.unwrap(sealed[1:], where)  # the sealed format's first byte is not part of the nonce
    except KeyUnavailable:
        return False
    return True


@contextmanager
def quiet_test_client() -> Iterator[None]:
    """The test client's own request line carries the query (the canary email): it is this test's
    logging, not kycrail's, so it stays below what canary_logs reads."""
    logger = logging.getLogger("httpx")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


# --- 7c: the log check itself --------------------------------------------------------------------


def _record(
    message: str, *args: object, exc: BaseException | None = None, **extra: object
) -> logging.LogRecord:
    record = logging.LogRecord("kycrail.example", logging.INFO, __file__, 1, message, args, None)
    if exc is not None:
        record.exc_info = (type(exc), exc, exc.__traceback__)
    record.__dict__.update(extra)
    return record


def test_the_log_check_finds_each_kind_of_secret_names_it_and_never_shows_it() -> None:
    registered = Canaries()
    canary = registered.add("email", f"canary.{secrets.token_hex(6)}@example.com")
    accent = registered.add("first name", f"Zoë{secrets.token_hex(4)}")
    api_key = "kr_" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
    share_token = "_act-jwt-" + secrets.token_urlsafe(96)
    while canary_logs.API_KEY.search(share_token) or canary_logs.SSN.search(share_token):
        share_token = "_act-jwt-" + secrets.token_urlsafe(96)  # one kind per case
    cases = {
        "API key": _record("authenticated with %s", api_key),
        "SumSub share token": _record("importing %(token)s", {"token": share_token}),
        "tax number": _record("ssn on file: 612-48-3307"),
        "canary 'email'": _record("failed", exc=ValueError(f"duplicate {canary}")),
        "canary 'first name'": _record('body {"firstName": %s}', json.dumps(accent)),
    }
    for kind, record in cases.items():
        leaks = canary_logs.check(record, registered)
        assert [leak.kind for leak in leaks] == [kind], kind
        assert leaks[0].logger == "kycrail.example"
        shown = str(leaks[0]) + record.getMessage() + (record.exc_text or "")
        for secret in (api_key, share_token, "612-48-3307", canary, accent, json.dumps(accent)[1:-1]):
            assert secret not in shown, (kind, shown)  # neither the report nor the record shows it
    # The donors' and the factories' tax numbers, even without their dashes; and in an ``extra``.
    assert [leak.kind for leak in canary_logs.check(_record("tin 536221234"), registered)] == ["tax number"]
    assert [leak.kind for leak in canary_logs.check(_record("x", tin="123-45-6789"), registered)] == [
        "tax number"
    ]
    # What kycrail does log passes: ids, prefixes, a redacted token, dates and times.
    clean = _record(
        "GET /v1/customers/customer_%s 200 3.1ms by kr_abcdefghi at 2026-01-05 10:05:42+0000: "
        "_act-[redacted]",
        secrets.token_hex(16),
    )
    assert canary_logs.check(clean, registered) == []


def test_a_test_that_logs_a_secret_fails_and_the_report_never_shows_it(pytester: pytest.Pytester) -> None:
    # The inner tests make their secrets as they run (reversed here): a traceback quoting their
    # source, as a broken handler's error report does, must not hold them either.
    api_key = "kr_" + secrets.token_urlsafe(32)
    assert canary_logs.API_KEY.fullmatch(api_key)
    canary = f"inner-canary-{secrets.token_hex(6)}"
    pytester.makepyfile(
        f"""
        import logging

        def test_logs_an_api_key():
            logging.getLogger("leaky.module").info("key %s", {api_key[::-1]!r}[::-1])

        def test_logs_a_registered_canary_in_an_exception(canaries):
            canary = canaries.add("reviewer reason", {canary[::-1]!r}[::-1])
            try:
                raise RuntimeError(canary)
            except RuntimeError:
                logging.getLogger("leaky.errors").exception("boom")

        def test_logs_nothing_secret():
            logging.getLogger("quiet").warning("customer_%s read", "0" * 32)
        """
    )
    # The inner tests are plain functions: no asyncio plugin (and none of its configuration warnings).
    result = pytester.runpytest_inprocess(
        "-p", "tests.canary_logs", "-p", "no:cacheprovider", "-p", "no:asyncio"
    )
    result.assert_outcomes(passed=1, failed=2)
    output = result.stdout.str()
    assert "logger 'leaky.module'" in output
    assert "logged a secret: API key" in output
    assert "logger 'leaky.errors'" in output
    assert "canary 'reviewer reason'" in output
    assert api_key not in output
    assert canary not in output
