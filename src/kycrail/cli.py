"""The ``kycrail`` command: serve | worker | migrate | tenants create/list | keys create/list/revoke |
kek init/add/rewrap/status/retire | purge | sandbox sumsub/share-token.

Only ``serve`` and ``migrate`` create a database; every other command needs it to exist (startup.py).

Exit codes: 0 done, 1 the operation failed (database unreachable, no such tenant or key), 2 bad usage
or setting (a database that does not exist, a port in use).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import secrets
import shutil
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db, migrate, startup
from kycrail.config import LogLevel, Settings, SettingsError, load_settings
from kycrail.customers import service as customers
from kycrail.db import create_engine, utc_now
from kycrail.log import configure_logging
from kycrail.storage import Storage
from kycrail.tenants import service
from kycrail.tenants.keys import DISPLAY_PREFIX_LENGTH, Role, display_prefix
from kycrail.vault import repository as data_keys
from kycrail.vault.keyring import (
    KeyRing,
    KeyRingError,
    add_kek,
    create_key_file,
    default_key_file,
    remove_kek,
    ring_from_settings,
)
from kycrail.vault.rewrap import RewrapReport, rewrap_all
from kycrail.vault.vault import Vault
from kycrail.webhooks import repository as webhook_endpoints
from kycrail.webhooks import service as webhooks

T = TypeVar("T")


class CommandFailed(Exception):
    """An operation failed for a reason the user can act on; the message is the one line to print."""


# A donor applicant's external user id in the SumSub emulator: sandbox-approved, sandbox-partial, ...
DONOR_PREFIX = "sandbox-"
MAX_SHARE_TOKEN_TTL_SECONDS = 1200  # SumSub's limit
# What a command does with the database (set on each command's parser as ``database``).
CREATES_DATABASE = "creates"  # serve, migrate: a SQLite file is created if there is none
NEEDS_DATABASE = "needs"  # it must exist: opening a SQLite file that does not would create it


def _printable_url(database_url: str) -> str:
    return make_url(database_url).render_as_string(hide_password=True)


async def _with_engine(settings: Settings, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        return await work(engine)
    # asyncpg's own errors too: the raw driver's connections do not go through SQLAlchemy.
    except (OperationalError, DBAPIError, OSError, asyncpg.PostgresError) as exc:
        raise startup.database_failure(exc, settings) from exc
    finally:
        await engine.dispose()


def _preparing(settings: Settings) -> Callable[[AsyncEngine], Awaitable[migrate.MigrationReport]]:
    async def prepare(engine: AsyncEngine) -> migrate.MigrationReport:
        return await migrate.upgrade(engine, key_ring=lambda: ring_from_settings(settings))

    return prepare


def _this_command() -> str:
    """How the user can run kycrail again: ``kycrail`` when it is on the PATH, else its path (``make
    run`` runs .venv/bin/kycrail without activating the environment)."""
    invoked = Path(sys.argv[0])
    found = shutil.which("kycrail")
    if found and Path(found).resolve() == invoked.resolve():
        return "kycrail"
    relative = os.path.relpath(invoked)
    return str(invoked.resolve()) if relative.startswith("..") else relative


def _migrated(report: migrate.MigrationReport, settings: Settings) -> str:
    """``applied 15 migrations (0001 -> 0015) to the SQLite database /abs/kycrail.db``, or that there
    was nothing to apply."""
    database = startup.describe_database(settings)
    applied = report.applied
    if not applied:
        return f"{database} is up to date ({report.current or 'empty'})"
    if len(applied) == 1:
        return f"applied 1 migration ({applied[0]}) to {database}"
    return f"applied {len(applied)} migrations ({applied[0]} -> {applied[-1]}) to {database}"


def _key_file(settings: Settings) -> Path | None:
    """The key file the settings' key ring comes from; None when the keys are in the environment."""
    if settings.keks is not None or settings.blind_index_key is not None:
        return None
    if settings.key_file is not None:
        return settings.key_file
    return default_key_file(settings.sqlite_path) if settings.sqlite_path is not None else None


def _key_ring(settings: Settings) -> KeyRing:
    """The settings' key ring (its key file created on first use, on SQLite), and a warning if git would
    commit that file."""
    ring = ring_from_settings(settings)
    startup.check_key_file(_key_file(settings))
    return ring


async def _ensure_sandbox_key(engine: AsyncEngine) -> str | None:
    """A key for the ``sandbox`` tenant on its first start; None when it exists already."""
    if await service.sandbox_tenant_exists(engine):
        return None
    created = await service.create_key(engine, service.SANDBOX_TENANT, Role.api)
    return created.secret


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from kycrail import serving  # the HTTP server, only for the command that serves

    async def prepare(engine: AsyncEngine) -> tuple[migrate.MigrationReport, str | None]:
        report = await _preparing(settings)(engine)
        return report, await _ensure_sandbox_key(engine) if args.sandbox else None

    if args.sandbox and args.workers != 1:
        # The emulator keeps its share tokens in memory: one process must mint and import them.
        print("kycrail: --sandbox runs a single process; drop --workers", file=sys.stderr)
        return 2
    startup.check_port(settings.host, settings.port)  # before anything is created
    _key_ring(settings)  # the key file exists (made on first start) before any worker starts
    report, sandbox_key = asyncio.run(_with_engine(settings, prepare))
    print(_migrated(report, settings), flush=True)
    base_url = f"http://{settings.host}:{settings.port}"
    if sandbox_key:
        print(f"Sandbox tenant created. Its API key (shown once, keep it):\n{sandbox_key}")
        print(f'Try:\n  curl -H "Authorization: Bearer {sandbox_key}" {base_url}/v2/customer', flush=True)
    elif args.sandbox:
        print(
            "Sandbox tenant exists; its key was printed on its first start. "
            f"Lost it? {_this_command()} keys create --tenant sandbox",
            flush=True,
        )
    if args.sandbox:
        print(
            "SumSub is the built-in emulator. Mint a share token with:\n"
            f"  curl -X POST {base_url}/sandbox/share-tokens "
            f"-H 'Authorization: Bearer {sandbox_key or '<key>'}' "
            """-H 'Content-Type: application/json' -d '{"applicant": "approved"}'""",
            flush=True,
        )
    if args.sandbox and settings.sumsub_webhook_secret is None:
        # The emulator signs its webhooks to this server with it (both live in this one process).
        os.environ["KYCRAIL_SUMSUB_WEBHOOK_SECRET"] = secrets.token_urlsafe(32)
    # Workers are separate processes that build the app from the environment: hand them our settings.
    os.environ["KYCRAIL_HOST"] = settings.host
    os.environ["KYCRAIL_PORT"] = str(settings.port)
    os.environ["KYCRAIL_SANDBOX"] = "true" if args.sandbox else "false"
    serving.serve(settings, args.workers)
    return 0


def _sandbox_sumsub(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the SumSub emulator alone, with the KYCRAIL_SUMSUB_* credentials, for any client."""
    import uvicorn

    from kycrail.sumsub.emulator import Emulator, WebhookConfig
    from kycrail.sumsub.sandbox import SANDBOX_CLIENT_ID, level_names

    if settings.sumsub_app_token is None or settings.sumsub_secret_key is None:
        print(
            "kycrail: set KYCRAIL_SUMSUB_APP_TOKEN and KYCRAIL_SUMSUB_SECRET_KEY: the emulator checks "
            "signatures with them, as SumSub does",
            file=sys.stderr,
        )
        return 2
    webhooks = None
    if args.webhook_url:
        configured = settings.sumsub_webhook_secret
        secret = args.webhook_secret or (configured.get_secret_value() if configured else None)
        if not secret:
            print(
                "kycrail: --webhook-url needs --webhook-secret (or KYCRAIL_SUMSUB_WEBHOOK_SECRET): "
                "SumSub signs every webhook with it",
                file=sys.stderr,
            )
            return 2
        try:
            webhooks = WebhookConfig(args.webhook_url, secret, args.webhook_digest_alg)
        except ValueError as exc:
            print(f"kycrail: {exc}", file=sys.stderr)
            return 2
    kyc_level, kyb_level = level_names(settings)
    emulator = Emulator(
        settings.sumsub_app_token.get_secret_value(),
        settings.sumsub_secret_key.get_secret_value(),
        client_id=SANDBOX_CLIENT_ID,
        kyc_level=kyc_level,
        kyb_level=kyb_level,
        webhooks=webhooks,
    )
    host, port = args.emulator_host, args.emulator_port
    startup.check_port(host, port, choose="--port")
    print(f"SumSub emulator on http://{host}:{port} (client id {SANDBOX_CLIENT_ID})", flush=True)
    print(f"Levels: {kyc_level} (individuals), {kyb_level} (companies)", flush=True)
    if webhooks is not None:
        print(f"Webhooks to {webhooks.url} ({webhooks.digest_alg})", flush=True)
    uvicorn.run(emulator, host=host, port=port, log_config=None, access_log=False, server_header=False)
    return 0


def _sandbox_share_token(args: argparse.Namespace, settings: Settings) -> int:
    """Mint a share token for one of the emulator's donors, over its HTTP API, signed as every SumSub
    call is: what a donor company does with SumSub. Prints the token alone on stdout."""
    from kycrail.sumsub.errors import (
        ApplicantNotFound,
        ProviderMisconfigured,
        ProviderUnavailable,
        SumsubError,
    )
    from kycrail.sumsub.sandbox import SANDBOX_CLIENT_ID, SandboxSumsubClient

    if settings.sumsub_app_token is None or settings.sumsub_secret_key is None:
        print(
            "kycrail: set KYCRAIL_SUMSUB_APP_TOKEN and KYCRAIL_SUMSUB_SECRET_KEY to the emulator's (the "
            "ones `kycrail sandbox sumsub` was started with): every call to it is signed",
            file=sys.stderr,
        )
        return 2
    url = settings.sumsub_base_url
    if "sumsub_base_url" not in settings.model_fields_set:  # SumSub itself has no such donors
        print(
            "kycrail: set KYCRAIL_SUMSUB_BASE_URL to the emulator's URL (`kycrail sandbox sumsub` prints "
            "it: http://127.0.0.1:8100 by default)",
            file=sys.stderr,
        )
        return 2
    client = SandboxSumsubClient(
        url,
        settings.sumsub_app_token.get_secret_value(),
        settings.sumsub_secret_key.get_secret_value(),
        settings.sumsub_timeout_seconds,
    )

    async def mint() -> str:
        try:
            donor = await client.get_applicant_by_external_id(f"{DONOR_PREFIX}{args.applicant}")
            return await client.mint_share_token(
                donor.id, for_client_id=SANDBOX_CLIENT_ID, ttl_seconds=args.ttl
            )
        finally:
            await client.aclose()

    try:
        with _quiet_unless_debugging("kycrail.sumsub", settings):  # our one line says it all
            token = asyncio.run(mint())
    except ProviderUnavailable:
        raise CommandFailed(
            f"no SumSub emulator answered at {url} (KYCRAIL_SUMSUB_BASE_URL): start one with "
            "`kycrail sandbox sumsub`"
        ) from None
    except ProviderMisconfigured:
        raise startup.CannotStart(
            f"the SumSub emulator at {url} refused our signature: give it and this command the same "
            "KYCRAIL_SUMSUB_APP_TOKEN and KYCRAIL_SUMSUB_SECRET_KEY"
        ) from None
    except ApplicantNotFound:
        raise CommandFailed(
            f"{url} has no donor applicant {DONOR_PREFIX}{args.applicant}: is it kycrail's SumSub emulator "
            "(`kycrail sandbox sumsub`)?"
        ) from None
    except SumsubError as exc:
        raise CommandFailed(f"the SumSub emulator at {url} did not mint a token: {exc}") from None
    print(token)  # alone on stdout, so scripts can capture it
    return 0


@contextlib.contextmanager
def _quiet_unless_debugging(logger_name: str, settings: Settings) -> Iterator[None]:
    """Only errors from ``logger_name`` while the block runs, unless KYCRAIL_LOG_LEVEL is debug."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    if settings.log_level is not LogLevel.debug:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    report = asyncio.run(_with_engine(settings, _preparing(settings)))
    print(_migrated(report, settings))
    return 0


def _tenants_create(args: argparse.Namespace, settings: Settings) -> int:
    async def create(engine: AsyncEngine) -> None:
        await _preparing(settings)(engine)
        await service.create_tenant(engine, args.name)

    try:
        asyncio.run(_with_engine(settings, create))
    except service.InvalidTenantName as exc:
        print(f"kycrail: invalid tenant name: {exc}", file=sys.stderr)
        return 2
    except service.TenantExists:
        print(f"kycrail: tenant {args.name} exists already (kycrail tenants list)", file=sys.stderr)
        return 1
    print(f"created tenant {args.name}")
    return 0


def _tenants_list(args: argparse.Namespace, settings: Settings) -> int:
    records = asyncio.run(_with_engine(settings, service.list_tenants))
    rows = [("NAME", "ID", "CREATED", "KEYS")]
    for record in records:
        created = record.created_at.isoformat(timespec="seconds")
        rows.append((record.name, record.id, created, str(record.active_keys)))
    _print_table(rows)
    return 0


def _print_table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())


def _keys_create(args: argparse.Namespace, settings: Settings) -> int:
    async def create(engine: AsyncEngine) -> service.CreatedKey:
        await _preparing(settings)(engine)
        return await service.create_key(engine, args.tenant, Role(args.role), new_tenant=False)

    try:
        created = asyncio.run(_with_engine(settings, create))
    except service.InvalidTenantName as exc:
        print(f"kycrail: invalid --tenant: {exc}", file=sys.stderr)
        return 2
    except service.UnknownTenant:
        print(
            f"kycrail: no tenant named '{args.tenant}' in {startup.describe_database(settings)}; create it "
            f"with `kycrail tenants create {args.tenant}` (existing ones: kycrail tenants list)",
            file=sys.stderr,
        )
        return 1
    print(created.secret)  # alone on stdout, so scripts can capture it
    return 0


def _keys_list(args: argparse.Namespace, settings: Settings) -> int:
    records = asyncio.run(_with_engine(settings, service.list_keys))
    rows = [("PREFIX", "TENANT", "ROLE", "CREATED", "REVOKED")]
    for record in records:
        revoked = record.revoked_at.isoformat(timespec="seconds") if record.revoked_at else "-"
        created = record.created_at.isoformat(timespec="seconds")
        rows.append((record.prefix, record.tenant_name, record.role.value, created, revoked))
    _print_table(rows)
    return 0


def _keys_revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def revoke(engine: AsyncEngine) -> None:
        await service.revoke_key(engine, args.prefix)

    if len(args.prefix) > DISPLAY_PREFIX_LENGTH:  # the whole key, pasted: never echo it back
        print(
            f"kycrail: keys revoke takes the key's {DISPLAY_PREFIX_LENGTH}-character prefix, as `kycrail "
            f"keys list` shows it, not the key itself: kycrail keys revoke {display_prefix(args.prefix)}",
            file=sys.stderr,
        )
        return 2

    try:
        asyncio.run(_with_engine(settings, revoke))
    except service.KeyNotFound:
        print(
            f"kycrail: no active key with prefix {args.prefix} in {startup.describe_database(settings)}",
            file=sys.stderr,
        )
        return 1
    print(f"revoked {args.prefix}")
    return 0


# --- operators: the console's people --------------------------------------------------------------------


def _operators_create(args: argparse.Namespace, settings: Settings) -> int:
    from kycrail.operators import service as operators
    from kycrail.operators.model import OperatorRole

    vault = Vault(_key_ring(settings))

    async def create(engine: AsyncEngine) -> operators.Created:
        tenant = await service.find_tenant(engine, args.tenant)
        role = OperatorRole(args.role)
        return await operators.create_operator(Storage(engine, vault), tenant.id, args.email, role)

    try:
        created = asyncio.run(_with_engine(settings, create))
    except service.UnknownTenant:
        raise CommandFailed(
            f"no tenant named '{args.tenant}' in {startup.describe_database(settings)} (kycrail tenants list)"
        ) from None
    except ValueError as invalid:
        print(f"kycrail: {args.email!r} is not an email address: {invalid}", file=sys.stderr)
        return 2
    except operators.OperatorExists:
        raise CommandFailed("an operator with this email exists already (kycrail operators list)") from None
    base = (args.url or f"http://{settings.host}:{settings.port}").rstrip("/")
    expires = created.expires_at.isoformat(timespec="minutes")
    print(f"created {created.operator.role.value} {created.operator.email} ({created.operator.id})")
    print(f"enrolment link, for them alone, valid until {expires}:")
    print(f"{base}/console/enrol?token={created.enrolment_token}")
    return 0


def _operators_list(args: argparse.Namespace, settings: Settings) -> int:
    from kycrail.operators import service as operators

    vault = Vault(_key_ring(settings))

    async def everyone(engine: AsyncEngine) -> tuple[list[Any], dict[str, str]]:
        names = {record.id: record.name for record in await service.list_tenants(engine)}
        return await operators.list_operators(Storage(engine, vault)), names

    found, tenant_names = asyncio.run(_with_engine(settings, everyone))
    rows = [("EMAIL", "TENANT", "ROLE", "STATE", "ID")]
    for operator in found:
        state = "disabled" if operator.disabled else "active" if operator.enrolled else "enrolling"
        tenant = tenant_names.get(operator.tenant_id, "?")
        rows.append((operator.email, tenant, operator.role.value, state, operator.id))
    _print_table(rows)
    return 0


def _operators_disable(args: argparse.Namespace, settings: Settings) -> int:
    from kycrail.operators import service as operators

    vault = Vault(_key_ring(settings))

    async def disable(engine: AsyncEngine) -> str:
        storage = Storage(engine, vault)
        operator = await operators.find_by_email(storage, args.email)
        await operators.disable_operator(storage, operator)
        return operator.id

    try:
        operator_id = asyncio.run(_with_engine(settings, disable))
    except operators.OperatorNotFound:
        raise CommandFailed(f"no operator with this email in {startup.describe_database(settings)}") from None
    print(f"disabled {operator_id}: signed out everywhere, cannot sign in")
    return 0


# --- sanctions lists ---------------------------------------------------------------------------------


def _lists_update(args: argparse.Namespace, settings: Settings) -> int:
    import tempfile

    from kycrail.screening import fetch, lists

    failures: list[fetch.FetchFailure] = []
    with contextlib.ExitStack() as cleanup:
        if args.from_dir is not None:
            directory = Path(args.from_dir)
            if not directory.is_dir():
                raise startup.CannotStart(f"--from {directory}: no such directory")
            absent = f"no files in {directory}"
        else:  # fetched into a folder of our own, removed once loaded
            directory = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="kycrail-lists-")))
            failures = fetch.fetch_all(directory, settings.sanctions_mirror)
            for failure in failures:
                print(f"kycrail: {failure.source.value}: {failure.url}: {failure.reason}", file=sys.stderr)
            absent = "not fetched"
        updates = asyncio.run(_with_engine(settings, lambda engine: lists.update_all(engine, directory)))
    for update in updates:
        name = update.source.value
        if update.outcome is lists.Outcome.loaded:
            print(
                f"{name}: loaded {update.entries:,} entries ({update.added} new, {update.changed} changed, "
                f"{update.removed} gone), version {update.version_id} now in use"
            )
            if update.changed_ids:
                print(
                    f"{name}: every customer is screened against its {len(update.changed_ids):,} new or "
                    "changed entries by the worker (kycrail serve's, or kycrail worker)"
                )
        elif update.outcome is lists.Outcome.unchanged:
            print(f"{name}: unchanged ({update.entries:,} entries)")
        elif update.outcome is lists.Outcome.absent:
            print(f"{name}: {absent}; the version in use stays")
        else:
            print(f"kycrail: {name} refused, the version in use stays: {update.error}", file=sys.stderr)
    refused = any(update.outcome is lists.Outcome.refused for update in updates)
    return 1 if refused or failures else 0


def _lists_status(args: argparse.Namespace, settings: Settings) -> int:
    from kycrail.screening import repository as sanctions

    async def read(engine: AsyncEngine) -> tuple[dict[str, int], list[Any], list[Any]]:
        async with db.connect(engine) as connection:
            current, versions = await sanctions.current(connection), await sanctions.versions(connection)
            return current, versions, await sanctions.jobs(connection)

    in_use, found, jobs = asyncio.run(_with_engine(settings, read))
    rows = [("LIST", "VERSION", "ENTRIES", "LOADED", "IN USE")]
    for version in found:
        loaded = version.loaded_at.isoformat(timespec="seconds")
        used = "yes" if in_use.get(version.source) == version.id else ""
        rows.append((version.source, str(version.id), f"{version.entry_count:,}", loaded, used))
    _print_table(rows)
    waiting = [job for job in jobs if job.finished_at is None]
    if waiting:
        screened = ", ".join(f"job {job.id}: {job.screened:,} screened so far" for job in waiting)
        print(f"screening every customer again after an update: {screened}")
    elif jobs:
        last = jobs[-1]
        print(
            f"last screening of every customer: job {last.id}, {last.screened:,} screened, {last.raised:,} "
            f"with new hits, finished {last.finished_at.isoformat(timespec='seconds')}"
        )
    return 0


# --- encryption keys and retention (docs/data-protection.md) -------------------------------------------


def _configured_key_file(args: argparse.Namespace, settings: Settings) -> Path:
    path = args.key_file or settings.key_file
    if path is None and settings.sqlite_path is not None and settings.keks is None:
        path = default_key_file(settings.sqlite_path)
    if path is None:
        raise CommandFailed(
            "name the key file: --key-file PATH or KYCRAIL_KEY_FILE (KYCRAIL_KEKS is yours to edit)"
        )
    return Path(path)


def _kek_init(args: argparse.Namespace, settings: Settings) -> int:
    path = _configured_key_file(args, settings)
    if not create_key_file(path):
        raise CommandFailed(f"{path} exists already; it is never overwritten")
    print(f"created {path} (mode 0600): back it up apart from the database")
    startup.check_key_file(path)
    return 0


def _kek_add(args: argparse.Namespace, settings: Settings) -> int:
    path = _configured_key_file(args, settings)
    kek_id = add_kek(path)
    startup.check_key_file(path)
    print(f"added {kek_id} to {path}: it wraps new data keys once the API processes restart;")
    print("then run `kycrail kek rewrap` to move the existing ones under it")
    return 0


def _kek_rewrap(args: argparse.Namespace, settings: Settings) -> int:
    from kycrail.operators import service as operators

    vault = Vault(_key_ring(settings))

    async def rewrap(engine: AsyncEngine) -> tuple[RewrapReport, tuple[int, int]]:
        report = await rewrap_all(engine, vault, progress=lambda done: print(f"rewrapped {done}", flush=True))
        storage = Storage(engine, vault)
        secrets = await webhooks.rewrap_secrets(storage)
        return report, (secrets, await operators.rewrap_secrets(storage))

    report, (secrets, people) = asyncio.run(_with_engine(settings, rewrap))
    print(
        f"every data key is under {vault.ring.newest.id} ({report.rewrapped} rewrapped, {report.skipped} "
        f"skipped; {secrets} webhook secrets rewrapped; {people} operators' details rewrapped)"
    )
    return 0


async def _keys_by_kek(engine: AsyncEngine) -> dict[str, int]:
    """What each KEK wraps: customers' data keys, webhooks' secrets, operators' sealed details."""
    from kycrail.operators import repository as operators

    async with db.connect(engine) as connection:
        counts = await data_keys.count_by_kek_any_tenant(connection)
        for others in (
            await webhook_endpoints.count_by_kek_any_tenant(connection),
            await operators.count_by_kek_any_tenant(connection),
        ):
            for kek_id, count in others.items():
                counts[kek_id] = counts.get(kek_id, 0) + count
    return counts


def _kek_status(args: argparse.Namespace, settings: Settings) -> int:
    ring = _key_ring(settings)
    counts = asyncio.run(_with_engine(settings, _keys_by_kek))
    for kek in ring.keks:
        newest = "  (newest: wraps new data keys)" if kek is ring.newest else ""
        print(f"{kek.id}  {counts.pop(kek.id, 0)} keys{newest}")
    for kek_id, count in counts.items():
        print(f"{kek_id}  {count} keys  NOT IN THE KEY RING: what they seal cannot be read")
    return 0


def _kek_retire(args: argparse.Namespace, settings: Settings) -> int:
    path = _configured_key_file(args, settings)
    counts = asyncio.run(_with_engine(settings, _keys_by_kek))
    if counts.get(args.kek_id):
        raise CommandFailed(
            f"{args.kek_id} still wraps {counts[args.kek_id]} keys: run `kycrail kek rewrap` first"
        )
    remove_kek(path, args.kek_id)
    print(f"removed {args.kek_id} from {path}: copies of keys it wrapped (backups, WAL) no longer open")
    return 0


async def _reachable(engine: AsyncEngine) -> None:
    async with engine.connect():
        pass


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    """Deliver webhooks, keep customers in step with SumSub (its files fetched too), and screen them
    again when a list changes, until interrupted (beside, or instead of, the API processes' own workers)."""
    from kycrail.app import (  # the wiring
        document_store,
        follow_applicants,
        kyc_provider,
        run_worker,
        webhook_worker,
    )
    from kycrail.screening import monitoring
    from kycrail.screening.screener import Screener
    from kycrail.sumsub.client import client_from_settings

    asyncio.run(_with_engine(settings, _reachable))  # a clear line now, rather than a worker failing later
    vault = Vault(_key_ring(settings))

    async def work() -> None:
        engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
        sumsub = client_from_settings(settings)
        try:
            async with document_store(settings) as store:  # where the provider's files fetched go
                storage = Storage(
                    engine, vault, screener=Screener(settings.screening_threshold), document_store=store
                )
                await asyncio.gather(
                    run_worker(webhook_worker(storage, settings)),
                    follow_applicants(storage, kyc_provider(settings, sumsub), settings),
                    monitoring.run_forever(storage),
                )
        finally:
            if sumsub is not None:
                await sumsub.aclose()
            await engine.dispose()

    print(f"delivering webhooks from {_printable_url(settings.database_url)}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how it stops
        asyncio.run(work())
    return 0


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    from kycrail.app import document_store  # the wiring

    storage_vault = Vault(_key_ring(settings))

    async def purge(engine: AsyncEngine) -> int:
        cutoff = utc_now() - timedelta(days=settings.retention_days)
        async with document_store(settings) as store:  # the shredded customers' objects go too
            return await customers.purge_expired(Storage(engine, storage_vault, document_store=store), cutoff)

    shredded = asyncio.run(_with_engine(settings, purge))
    print(f"shredded {shredded} customers deleted over {settings.retention_days} days ago")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kycrail", description="Customer and KYC registry.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="apply pending migrations and start the API")
    serve.add_argument("--host", help="address to listen on (default: KYCRAIL_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: KYCRAIL_PORT or 8000)")
    serve.add_argument("--workers", type=int, default=1, help="API processes (default: 1)")
    serve.add_argument(
        "--sandbox", action="store_true", help="create a 'sandbox' tenant and print its key on first start"
    )
    serve.set_defaults(handler=_serve, database=CREATES_DATABASE)

    commands.add_parser(
        "worker", help="deliver webhooks (serve does it too unless KYCRAIL_WEBHOOK_WORKER=false)"
    ).set_defaults(handler=_worker, database=NEEDS_DATABASE)
    commands.add_parser("migrate", help="apply pending database migrations").set_defaults(
        handler=_migrate, database=CREATES_DATABASE
    )

    sandbox = commands.add_parser("sandbox", help="sandboxes of the services kycrail talks to")
    sandbox_commands = sandbox.add_subparsers(dest="sandbox_command", required=True)
    sumsub = sandbox_commands.add_parser("sumsub", help="serve the SumSub emulator alone")
    sumsub.add_argument("--host", dest="emulator_host", default="127.0.0.1", help="default: 127.0.0.1")
    sumsub.add_argument("--port", dest="emulator_port", type=int, default=8100, help="default: 8100")
    sumsub.add_argument("--webhook-url", help="send SumSub's webhooks (applicantCreated, ...) to this URL")
    sumsub.add_argument(
        "--webhook-secret", help="sign them with this secret (default: KYCRAIL_SUMSUB_WEBHOOK_SECRET)"
    )
    sumsub.add_argument(
        "--webhook-digest-alg",
        choices=["HMAC_SHA256_HEX", "HMAC_SHA512_HEX", "HMAC_SHA1_HEX"],
        default="HMAC_SHA256_HEX",
        help="the X-Payload-Digest algorithm (default: HMAC_SHA256_HEX, as SumSub)",
    )
    sumsub.set_defaults(handler=_sandbox_sumsub)
    share_token = sandbox_commands.add_parser(
        "share-token",
        help="mint a share token for one of the emulator's donor applicants; prints it alone",
        description="Mint a SumSub share token for one of the donor applicants of a running `kycrail "
        "sandbox sumsub`, through its API, signed with KYCRAIL_SUMSUB_APP_TOKEN and "
        "KYCRAIL_SUMSUB_SECRET_KEY; KYCRAIL_SUMSUB_BASE_URL is its URL. Import the token with "
        'PUT /v1/customers/{id} {"shareToken": ...} on a kycrail served against that emulator.',
    )
    share_token.add_argument(
        "--applicant",
        required=True,
        choices=_donor_names(),
        help="the donor: approved (complete data), partial (another person; no address, no tax number), "
        "rejected-final, rejected-retry or pending",
    )
    share_token.add_argument(
        "--ttl", type=_ttl_seconds, default=600, help="seconds the token lives (1-1200, default: 600)"
    )
    share_token.set_defaults(handler=_sandbox_share_token)

    tenants = commands.add_parser("tenants", help="manage tenants").add_subparsers(
        dest="tenants_command", required=True
    )
    new_tenant = tenants.add_parser("create", help="create a tenant (keys are then created for it)")
    new_tenant.add_argument("name", help="1-100 letters, digits, '.', '_' or '-'")
    new_tenant.set_defaults(handler=_tenants_create, database=NEEDS_DATABASE)
    tenants.add_parser("list", help="list tenants, with their active keys").set_defaults(
        handler=_tenants_list, database=NEEDS_DATABASE
    )

    keys = commands.add_parser("keys", help="manage API keys").add_subparsers(
        dest="keys_command", required=True
    )
    create = keys.add_parser("create", help="create a key for an existing tenant; prints the key once")
    create.add_argument("--tenant", required=True, help="tenant name")
    create.add_argument("--role", choices=[role.value for role in Role], default=Role.api.value)
    create.set_defaults(handler=_keys_create, database=NEEDS_DATABASE)
    keys.add_parser("list", help="list keys by prefix, tenant and role").set_defaults(
        handler=_keys_list, database=NEEDS_DATABASE
    )
    revoke = keys.add_parser("revoke", help="revoke a key by its 12-character prefix")
    revoke.add_argument("prefix", help="the key's first 12 characters, as `keys list` shows them")
    revoke.set_defaults(handler=_keys_revoke, database=NEEDS_DATABASE)

    operators = commands.add_parser("operators", help="the console's people").add_subparsers(
        dest="operators_command", required=True
    )
    new_operator = operators.add_parser("create", help="create an operator; prints a one-time enrolment link")
    new_operator.add_argument("email")
    new_operator.add_argument("--tenant", required=True, help="tenant name")
    new_operator.add_argument("--role", choices=["reviewer", "admin"], default="reviewer")
    new_operator.add_argument(
        "--url", help="the console's address, for the link (default: http://KYCRAIL_HOST:KYCRAIL_PORT)"
    )
    new_operator.set_defaults(handler=_operators_create, database=NEEDS_DATABASE)
    operators.add_parser("list", help="list operators").set_defaults(
        handler=_operators_list, database=NEEDS_DATABASE
    )
    disable_operator = operators.add_parser("disable", help="disable an operator and end their sessions")
    disable_operator.add_argument("email")
    disable_operator.set_defaults(handler=_operators_disable, database=NEEDS_DATABASE)

    sanctions_lists = commands.add_parser("lists", help="the sanctions lists customers are screened against")
    lists_commands = sanctions_lists.add_subparsers(dest="lists_command", required=True)
    lists_update = lists_commands.add_parser(
        "update",
        help="fetch the lists' files (or read them from --from) and load them as new versions (a list "
        "whose files are absent, or could not be fetched, keeps its own)",
    )
    lists_update.add_argument(
        "--from",
        dest="from_dir",
        metavar="DIR",
        help="a folder of the lists' files, by their official names (default: fetch them from the "
        "official URLs, or from the mirror KYCRAIL_SANCTIONS_MIRROR names)",
    )
    lists_update.set_defaults(handler=_lists_update, database=NEEDS_DATABASE)
    lists_commands.add_parser("status", help="each list's versions, and the one in use").set_defaults(
        handler=_lists_status, database=NEEDS_DATABASE
    )

    kek = commands.add_parser("kek", help="manage the encryption keys (key-encryption keys)").add_subparsers(
        dest="kek_command", required=True
    )
    init = kek.add_parser("init", help="create a key file with a new KEK and blind-index key")
    add = kek.add_parser("add", help="add a new KEK to the key file: it becomes the newest")
    retire = kek.add_parser("retire", help="remove a KEK that wraps no data key any more")
    retire.add_argument("kek_id")
    retire.set_defaults(database=NEEDS_DATABASE)  # it counts what the KEK still wraps
    for command, handler in ((init, _kek_init), (add, _kek_add), (retire, _kek_retire)):
        command.add_argument(
            "--key-file", type=Path, help="default: KYCRAIL_KEY_FILE, or beside the SQLite file"
        )
        command.set_defaults(handler=handler)
    kek.add_parser(
        "rewrap", help="rewrap every data key under the newest KEK (safe while serving)"
    ).set_defaults(handler=_kek_rewrap, database=NEEDS_DATABASE)
    kek.add_parser(
        "status", help="the KEKs and how many keys (data keys, webhook secrets) each wraps"
    ).set_defaults(handler=_kek_status, database=NEEDS_DATABASE)
    commands.add_parser(
        "purge", help="shred now the deleted customers past KYCRAIL_RETENTION_DAYS (serve does it on its own)"
    ).set_defaults(handler=_purge, database=NEEDS_DATABASE)
    return parser


def _donor_names() -> list[str]:
    """The emulator's seeded donors, by the name their external user id carries (sandbox-approved)."""
    from kycrail.sumsub.emulator.donors import seeded_donors

    return [applicant["externalUserId"].removeprefix(DONOR_PREFIX) for applicant, _ in seeded_donors()]


def _ttl_seconds(text: str) -> int:
    try:
        seconds = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of seconds") from None
    if not 1 <= seconds <= MAX_SHARE_TOKEN_TTL_SECONDS:
        raise argparse.ArgumentTypeError(
            f"between 1 and {MAX_SHARE_TOKEN_TTL_SECONDS} seconds, as SumSub allows"
        )
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    overrides = {name: value for name in ("host", "port") if (value := getattr(args, name, None)) is not None}
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        print(f"kycrail: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level.value, settings.log_format.value)
    logging.getLogger("kycrail").debug("command %s", args.command)
    startup.check_environment(os.environ)
    try:
        if getattr(args, "database", None) == NEEDS_DATABASE:
            startup.require_database(settings)
        handler: Callable[[argparse.Namespace, Settings], int] = args.handler
        return handler(args, settings)
    except startup.CannotStart as exc:
        print(f"kycrail: {exc}", file=sys.stderr)
        return exc.exit_code
    except CommandFailed as exc:
        print(f"kycrail: {exc}", file=sys.stderr)
        return 1
    except KeyRingError as exc:
        print(f"kycrail: encryption keys: {exc}", file=sys.stderr)
        return 2
