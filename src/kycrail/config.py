"""Settings: the only place that reads the environment (prefix ``KYCRAIL_``)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./kycrail.db"
ENV_PREFIX = "KYCRAIL_"
# Read by kycrail's own test suite, CI and benchmarks, not by kycrail: not settings, but not mistakes.
NOT_SETTINGS = frozenset(
    {
        "KYCRAIL_TEST_DATABASE_URL",
        "KYCRAIL_REQUIRE_BROWSER",
        "KYCRAIL_SCREENSHOTS",
        "KYCRAIL_BASELINE_FIXTURE",
    }
)


class LogLevel(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


class LogFormat(StrEnum):
    text = "text"  # one line per record, for people
    json = "json"  # one JSON object per line, for log shippers


class ImportMode(StrEnum):
    """How a SumSub share token is imported (see docs/sumsub.md)."""

    reuse = "reuse"  # Reusable KYC: SumSub re-checks against our level (recommended)
    copy = "copy"  # Copy Applicant (legacy): the donor's review is inherited as is


class SettingsError(Exception):
    """A setting is wrong; the message is one line naming the environment variable."""


def to_async_database_url(url: str) -> str:
    """Accept the plain URLs a user writes and pick the async driver ourselves.

    ``sqlite:///path`` -> ``sqlite+aiosqlite:///path``;
    ``postgresql://...`` or ``postgres://...`` -> ``postgresql+asyncpg://...``.
    A URL that already names one of those drivers is kept; anything else is refused.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or not rest:
        raise ValueError("expected a URL such as sqlite:///./kycrail.db or postgresql://user@host/db")
    scheme = scheme.lower()
    if scheme in ("sqlite", "sqlite+aiosqlite"):
        if not rest.startswith("/") or rest == "/":
            raise ValueError("a SQLite URL needs a file path, as in sqlite:///./kycrail.db")
        return f"sqlite+aiosqlite://{rest}"
    if scheme in ("postgresql", "postgres", "postgresql+asyncpg"):
        return f"postgresql+asyncpg://{rest}"
    raise ValueError(f"unsupported database scheme {scheme!r}: use sqlite:// or postgresql://")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KYCRAIL_", extra="ignore", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    log_level: LogLevel = LogLevel.info
    log_format: LogFormat = LogFormat.text
    # With it, GET /metrics (Prometheus) answers requests bearing it as a bearer token; without it, 404.
    metrics_token: SecretStr | None = None
    # Connections each API process keeps open to PostgreSQL (ignored on SQLite).
    database_pool_size: Annotated[int, Field(ge=1, le=200)] = 20

    sumsub_base_url: str = "https://api.sumsub.com"
    sumsub_app_token: SecretStr | None = None
    sumsub_secret_key: SecretStr | None = None
    sumsub_level_name: Annotated[str, Field(min_length=1, max_length=200)] = "basic-kyc-level"
    # The level a business customer's verification link starts (KYB: the company and its people).
    sumsub_kyb_level_name: Annotated[str, Field(min_length=1, max_length=200)] = "basic-kyb-level"
    # How long a verification link opens SumSub's WebSDK; asking again gives a fresh one.
    sumsub_link_ttl_seconds: Annotated[int, Field(ge=60, le=7 * 24 * 3600)] = 1800
    # The secret SumSub signs its webhooks with (X-Payload-Digest); without it POST /webhooks/sumsub
    # refuses everything.
    sumsub_webhook_secret: SecretStr | None = None
    # How often an applicant still in review is read again from SumSub (heals a lost webhook).
    sumsub_reconcile_seconds: Annotated[int, Field(ge=10, le=7 * 24 * 3600)] = 900
    sumsub_import_mode: ImportMode = ImportMode.reuse
    sumsub_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    # Requests per second each API key may make, per API process (0 turns the limit off), and the burst.
    rate_limit_per_second: Annotated[float, Field(ge=0)] = 100.0
    rate_limit_burst: Annotated[int, Field(ge=1)] = 200
    # Requests presenting a key that does not authenticate, per client address and minute, per API
    # process (0 turns the limit off); past it they answer 429 instead of 401.
    auth_failures_per_minute: Annotated[int, Field(ge=0)] = 60

    # What one connection may cost (README, "Limits"). The request line and headers together, in bytes
    # (431 past it); how long a client has to send them. A body's deadline (408 past it) is fixed when
    # it starts: body_timeout_seconds, and one second more for each body_min_bytes_per_second received.
    max_header_bytes: Annotated[int, Field(ge=8 * 1024, le=1024 * 1024)] = 16 * 1024
    header_timeout_seconds: Annotated[float, Field(ge=1, le=60)] = 10.0
    body_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 10.0
    body_min_bytes_per_second: Annotated[int, Field(ge=1, le=1024 * 1024 * 1024)] = 16 * 1024
    # Open connections each API process accepts (more wait in the kernel's queue); kept below the
    # process's file descriptor limit, which `kycrail serve` raises to fit it where the system allows.
    max_connections: Annotated[int, Field(ge=16, le=1_000_000)] = 4096
    # Requests each API process works on at once; past it, 503 with Retry-After. One client (an API key;
    # requests without one: their address, and all of them together) holds at most its share.
    max_requests_in_flight: Annotated[int, Field(ge=1, le=1_000_000)] = 1024
    max_requests_in_flight_per_client: Annotated[int, Field(ge=1, le=1_000_000)] = 256
    # How long a process trusts a key it has checked: a revoked key stops working within this delay.
    auth_cache_seconds: Annotated[float, Field(ge=0, le=300)] = 5.0
    # Set by `kycrail serve --sandbox`: SumSub is the built-in emulator, reached in-process.
    sandbox: bool = False

    # Encryption at rest (docs/data-protection.md): a key file, or the keys themselves. On SQLite with
    # neither, a key file is created beside the database on first start.
    key_file: Path | None = None
    keks: SecretStr | None = None  # "id:base64key,id:base64key", oldest first
    blind_index_key: SecretStr | None = None  # base64 of 32 random bytes
    # A deleted customer's encrypted record is kept this long (AML record keeping), then shredded;
    # 0 shreds it at the delete.
    retention_days: Annotated[int, Field(ge=0, le=36500)] = 1825

    # Webhook URLs must be https and resolve to public addresses unless these allow otherwise
    # (`serve --sandbox` allows both, for a receiver on loopback).
    webhook_allow_http: bool = False
    webhook_allow_private_hosts: bool = False
    # `kycrail serve` delivers webhooks itself; false when `kycrail worker` processes do it instead.
    webhook_worker: bool = True

    # The console (/console): a session ends after this long unused, and this long after sign-in.
    console_idle_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 30
    console_absolute_hours: Annotated[int, Field(ge=1, le=7 * 24)] = 12
    # Four eyes: a final rejection takes effect only once a second operator confirms it. Unset: on,
    # except in the sandbox.
    four_eyes: bool | None = None

    # Uploaded documents: at most this many bytes (413 past it), and an image at most this many pixels,
    # read from its header before anything is decoded.
    document_max_bytes: Annotated[int, Field(ge=1024, le=100 * 1024 * 1024)] = 10 * 1024 * 1024
    document_max_pixels: Annotated[int, Field(ge=1_000_000, le=250_000_000)] = 40_000_000
    # Where documents' bytes go (sealed): "database" (embedded), or "s3://bucket/prefix" on any
    # S3-compatible store, reached at s3_endpoint_url (unset: AWS) with these credentials.
    document_store: str = "database"
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: SecretStr | None = None
    s3_secret_access_key: SecretStr | None = None

    # Sanctions screening: a name scoring at least this much against a list entry is a hit (the
    # labelled set in tests/screening/labelled measures recall and false hits at the default).
    screening_threshold: Annotated[float, Field(ge=0.5, le=1.0)] = 0.85
    # Where `kycrail lists update` (without --from) fetches each list's files: unset, the official
    # URLs; a base URL, a mirror serving them under their official file names.
    sanctions_mirror: str | None = None

    @property
    def four_eyes_on(self) -> bool:
        return self.four_eyes if self.four_eyes is not None else not self.sandbox

    @field_validator("document_store")
    @classmethod
    def _document_store(cls, value: str) -> str:
        if value != "database" and not re.fullmatch(
            r"s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/[^\s]*)?", value
        ):
            raise ValueError('expected "database" or s3://bucket/prefix')
        return value.rstrip("/")

    @field_validator("sumsub_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, value: str) -> str:
        return to_async_database_url(value.strip())

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _lower_case_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        return Path(self.database_url.split(":///", 1)[1])


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        message = first["msg"].removeprefix("Value error, ")
        raise SettingsError(f"invalid setting KYCRAIL_{field.upper()}: {message}") from None


def setting_names() -> list[str]:
    """Every setting's environment variable: ``KYCRAIL_DATABASE_URL``, ..."""
    return [f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields]


def unknown_settings(environ: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """Each ``KYCRAIL_`` variable of ``environ`` that is no setting (the settings ignore it), with the
    setting whose name is closest to it, if any is close. Names are compared without regard to case,
    as the settings read them."""
    names = setting_names()
    known = {*names, *NOT_SETTINGS}
    # Compared without the prefix every name shares, which would make any two names look alike.
    stems = {name.removeprefix(ENV_PREFIX): name for name in names}
    unknown = []
    for variable in sorted(environ):
        upper = variable.upper()
        if not upper.startswith(ENV_PREFIX) or upper in known:
            continue
        closest = difflib.get_close_matches(upper.removeprefix(ENV_PREFIX), list(stems), n=1)
        unknown.append((variable, stems[closest[0]] if closest else None))
    return unknown
