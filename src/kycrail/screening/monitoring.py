"""Ongoing monitoring: after a list update, every customer screened against the entries it added or
changed, by the worker (``kycrail serve``'s own, or ``kycrail worker``).

``lists.update_source`` leaves a job in the transaction that switches the list, so no update is ever
lost. A worker holds a job by a lease, walks the live customers of every tenant in (tenant, id) order,
and moves the job's cursor after each page: a crash resumes from the last page done, and a page done
twice raises nothing twice (a hit on record is never raised again). A page is screened in memory; only
a customer with something new is written, through the lifecycle (``customers.service.screen_again``):
an approved customer goes back to review, with its audit and outgoing events.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime, timedelta

from kycrail import db
from kycrail.customers import repository as customers_repository
from kycrail.customers import service as customers
from kycrail.customers.model import Customer
from kycrail.db import utc_now, write_transaction
from kycrail.screening import repository
from kycrail.screening.repository import Job
from kycrail.screening.screener import CHECK_SECONDS, Lists
from kycrail.storage import Storage

PAGE = 500
LEASE = timedelta(seconds=120)  # a page takes well under a second; a worker that stopped frees it after this
POLL_SECONDS = 2.0
# How far before the switch a write may have been stamped and still be screened against the old version
# (the processes' clocks, and the screener's look-up interval).
SWITCH_MARGIN = timedelta(seconds=5 + CHECK_SECONDS)
log = logging.getLogger(__name__)


async def run_once(storage: Storage) -> Job | None:
    """Work one job to its end (None: no job waiting, or another worker holds it)."""
    async with write_transaction(storage.engine) as connection:
        job = await repository.claim_job(connection, utc_now(), LEASE)
    if job is None:
        return None
    await storage.screener.refresh(storage.engine, force=True)
    lists = storage.screener.entries(job.entries)
    cursor, screened, raised = job.cursor, job.screened, job.raised
    written: set[str] = set()  # customers this run screened in a write of their own, against ``lists``
    while True:  # every live customer, page by page, the cursor kept after each
        page = await _page(storage, cursor)
        raised += await _screen_page(storage, lists, page, written)
        screened += len(page)
        if page:
            cursor = (page[-1].tenant_id, page[-1].id)
            async with write_transaction(storage.engine) as connection:
                await repository.advance_job(connection, job.id, cursor, screened, raised, utc_now() + LEASE)
        if len(page) < PAGE:
            break
    # Then those written since the switch, wherever the walk already was: a process screens a write
    # against the versions it last looked up (screener.CHECK_SECONDS), so one written just after the
    # switch may have missed the new entries, and committed after the walk passed it. (Those the walk
    # itself wrote were screened against these entries by that write: skipped.)
    since, after = job.created_at - SWITCH_MARGIN, None
    while True:
        page = await _page(storage, after, updated_since=since)
        raised += await _screen_page(storage, lists, [c for c in page if c.id not in written], written)
        if len(page) < PAGE:
            break
        after = (page[-1].tenant_id, page[-1].id)
    async with write_transaction(storage.engine) as connection:
        await repository.finish_job(connection, job.id, utc_now())
    log.info("sanctions rescreen %s done: %s customers screened, %s with new hits", job.id, screened, raised)
    return replace(job, cursor=cursor, screened=screened, raised=raised)


async def _page(storage: Storage, after: tuple[str, str] | None, **since: datetime) -> list[Customer]:
    async with db.connect(storage.engine) as connection:
        return await customers_repository.page_any_tenant(connection, storage.vault, after, PAGE, **since)


async def _screen_page(storage: Storage, lists: Lists, page: list[Customer], written: set[str]) -> int:
    """The page screened in memory; a customer with a finding is screened again in a write of its own
    (which raises only what is not on record), and added to ``written``. How many were given new hits."""
    raised = 0
    for customer in page:
        if not lists.screen(customer, storage.screener.threshold):
            continue
        written.add(customer.id)
        actor = customers.SYSTEM.screening(customer.tenant_id)
        after = await customers.screen_again(storage, actor, customer.id, lists)
        raised += after is not None and bool(set(after.open_hits) - set(customer.open_hits))
    return raised


async def run_cycle(storage: Storage) -> list[Job]:
    """One cycle of the worker: every job waiting, worked to its end."""
    done = []
    while (job := await run_once(storage)) is not None:
        done.append(job)
    return done


async def run_forever(storage: Storage, every: float = POLL_SECONDS) -> None:
    while True:
        try:
            await run_cycle(storage)
        except Exception:
            log.exception("sanctions rescreen failed; will try again")
        await asyncio.sleep(every)
