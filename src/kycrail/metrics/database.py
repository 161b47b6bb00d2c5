"""What the database says, read when a scrape comes: the same whichever process answers, however many
there are, since they all read the same rows.

Each reading is one query on an index, and bounded: a count stops at ``CAP`` rows, so a scrape costs
the same with a backlog of a million. Labels are statuses and provider names, never a tenant, a
customer or anything personal. Scrapes that come together share one reading (``REUSE_SECONDS``), and
a database that does not answer within ``TIMEOUT_SECONDS`` leaves the process's own metrics answering,
with ``kycrail_database_up 0``.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from datetime import datetime

from prometheus_client import Metric
from prometheus_client.metrics_core import GaugeMetricFamily
from sqlalchemy import bindparam, case, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.applicants.tables import provider_applicants
from kycrail.driver.base import Connection
from kycrail.outbox.tables import outbox_events
from kycrail.screening.tables import sanctions_current, sanctions_versions
from kycrail.webhooks.tables import webhook_deliveries, webhook_endpoints

CAP = 100_000  # rows a count reads at most: past it, the gauge shows the cap
TIMEOUT_SECONDS = 2.0  # as the readiness probe's
REUSE_SECONDS = 1.0
ENDPOINT_STATUSES = ("healthy", "degraded", "failing", "disabled")  # webhooks.schedule, and 410's
log = logging.getLogger(__name__)

Reading = Callable[[Connection, datetime], Awaitable[list[Metric]]]

# Each predicate as its partial index says it, so that the planner takes the index.
_o, _d, _e, _a = outbox_events, webhook_deliveries, webhook_endpoints, provider_applicants
_UNDISPATCHED = select(_o.c.id).where(_o.c.dispatched_at.is_(None)).limit(CAP).subquery()
_OUTBOX = select(func.count()).select_from(_UNDISPATCHED)
_PENDING = (  # what the worker will still send: an endpoint deleted or disabled gets nothing more
    select(_d.c.next_attempt_at)
    .join(_e, _e.c.id == _d.c.endpoint_id)
    .where(text("state = 'pending'"), _e.c.deleted_at.is_(None), _e.c.status != "disabled")
    .order_by(_d.c.next_attempt_at)  # the earliest first: the oldest due is among them
    .limit(CAP)
    .subquery()
)
_DELIVERIES = select(func.count(), func.min(_PENDING.c.next_attempt_at))
_ENDPOINTS = select(_e.c.status, func.count()).where(_e.c.deleted_at.is_(None)).group_by(_e.c.status)
_OPEN = select(_a.c.provider, _a.c.next_check_at).where(text("final = false")).limit(CAP).subquery()
_LISTS = select(sanctions_current.c.source, sanctions_versions.c.loaded_at).join(
    sanctions_versions, sanctions_versions.c.id == sanctions_current.c.version_id
)  # a row per list in use: a handful
_RECONCILIATION = select(
    _OPEN.c.provider,
    func.count(),
    func.sum(case((_OPEN.c.next_check_at <= bindparam("now"), 1), else_=0)),
).group_by(_OPEN.c.provider)


async def outbox(connection: Connection, now: datetime) -> list[Metric]:
    pending = (await connection.execute(_OUTBOX)).scalar_one()
    return [
        GaugeMetricFamily(
            "kycrail_webhook_outbox_events_pending",
            "Customer events not yet fanned out to their webhook deliveries.",
            value=pending,
        )
    ]


async def deliveries(connection: Connection, now: datetime) -> list[Metric]:
    pending, oldest = (await connection.execute(_DELIVERIES)).one()
    lag = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
    return [
        GaugeMetricFamily(
            "kycrail_webhook_deliveries_pending",
            "Webhook deliveries not yet delivered nor given up (due now, or waiting for a retry).",
            value=pending,
        ),
        GaugeMetricFamily(
            "kycrail_webhook_delivery_lag_seconds",
            "How long the oldest due delivery has been due (0: none is).",
            value=lag,
        ),
    ]


async def endpoints(connection: Connection, now: datetime) -> list[Metric]:
    counts = {status: count for status, count in await connection.execute(_ENDPOINTS)}
    family = GaugeMetricFamily(
        "kycrail_webhook_endpoints",
        "Webhook endpoints by status, read off their last attempts (failing: the last 5 failed; "
        "disabled: it answered 410).",
        labels=["status"],
    )
    for status in ENDPOINT_STATUSES:
        family.add_metric([status], counts.get(status, 0))
    return [family]


async def reconciliation(connection: Connection, now: datetime) -> list[Metric]:
    rows = (await connection.execute(_RECONCILIATION, {"now": now})).all()
    open_family = GaugeMetricFamily(
        "kycrail_reconciliation_applicants_open",
        "Applicants in review that kycrail follows at a KYC provider.",
        labels=["provider"],
    )
    due_family = GaugeMetricFamily(
        "kycrail_reconciliation_applicants_due",
        "Of those, the ones past their time to be read again (KYCRAIL_SUMSUB_RECONCILE_SECONDS).",
        labels=["provider"],
    )
    for provider, open_count, due in rows:
        open_family.add_metric([provider], open_count)
        due_family.add_metric([provider], due or 0)
    return [open_family, due_family]


async def sanctions_lists(connection: Connection, now: datetime) -> list[Metric]:
    family = GaugeMetricFamily(
        "kycrail_sanctions_list_age_seconds",
        "Seconds since the version in use of each sanctions list was loaded (`kycrail lists update`; an "
        "update that finds the list unchanged loads nothing). No sample: no version of it loaded.",
        labels=["list"],
    )
    for source, loaded_at in await connection.execute(_LISTS):
        family.add_metric([source], max(0.0, (now - loaded_at).total_seconds()))
    return [family]


# In order.
READINGS: tuple[Reading, ...] = (outbox, deliveries, endpoints, reconciliation, sanctions_lists)


def _database_up(up: bool) -> Metric:
    return GaugeMetricFamily(
        "kycrail_database_up",
        "1 when this scrape read the database; 0 when it could not (the families read from it are left out).",
        value=1 if up else 0,
    )


class DatabaseReadings:
    """The readings of one app's database, taken once for the scrapes that come together."""

    def __init__(self, engine: Callable[[], AsyncEngine]) -> None:
        self._engine = engine
        self._lock = asyncio.Lock()
        self._taken_at = -math.inf
        self._families: list[Metric] = []

    async def families(self) -> list[Metric]:
        async with self._lock:
            loop = asyncio.get_running_loop()
            if loop.time() - self._taken_at >= REUSE_SECONDS:
                self._families = await self._read()
                self._taken_at = loop.time()
            return self._families

    async def _read(self) -> list[Metric]:
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS), db.connect(self._engine()) as connection:
                now = db.utc_now()
                found = [family for reading in READINGS for family in await reading(connection, now)]
        except Exception as error:
            log.warning("metrics: the database could not be read (%s)", type(error).__name__)
            return [_database_up(False)]
        return [_database_up(True), *found]
