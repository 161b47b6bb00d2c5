"""Ongoing monitoring (kycrail/screening/monitoring.py): after a list update every customer is screened
against the entries it added or changed; an approved customer with a new hit is back in review, on the
record and in its webhooks; a hit a reviewer cleared is not raised again for the same entry; a job cut
short resumes where it stopped."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kycrail.api.sphere.webhooks import sphere_events
from kycrail.app import create_app
from kycrail.customers import service as customers
from kycrail.customers.verification import SANCTIONS_SCREENING
from kycrail.outbox.tables import outbox_events
from kycrail.screening import lists, monitoring
from kycrail.screening import repository as sanctions
from kycrail.screening.tables import screening_hits, screening_jobs
from kycrail.storage import Storage
from tests.api.calls import create, put
from tests.api.test_kyc_decisions import pending_emily, review, status, v2
from tests.screening.listed import EMILY_LISTED, SOMEONE_ELSE, load, only_sdn
from tests.settings import settings_for
from tests.waiting import eventually


async def approved_emily(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> str:
    customer_id = await pending_emily(client, headers)
    approved = await review(client, reviewer_headers, customer_id, {"decision": "approved"})
    assert approved.status_code == 200, approved.text
    return customer_id


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The customers the job screens in a write of their own, in order."""
    real, written = customers.screen_again, []

    async def screen_again(storage: Storage, actor: Any, customer_id: str, lists: Any) -> Any:
        written.append(customer_id)
        return await real(storage, actor, customer_id, lists)

    monkeypatch.setattr(customers, "screen_again", screen_again)
    return written


async def hits_of(storage: Storage, customer_id: str) -> list[Any]:
    async with storage.engine.connect() as connection:
        query = select(screening_hits).where(screening_hits.c.customer_id == customer_id)
        return list(await connection.execute(query))


async def test_a_list_update_puts_an_approved_customer_back_into_review(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    storage: Storage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await load(storage, SOMEONE_ELSE)
    customer_id = await approved_emily(client, headers, reviewer_headers)
    await load(storage, SOMEONE_ELSE, EMILY_LISTED)  # the update that adds her
    writes = counting(monkeypatch)

    jobs = await monitoring.run_cycle(storage)  # one worker cycle
    assert [(job.screened, job.raised) for job in jobs] == [(1, 0), (1, 1)]  # each update's job
    assert writes == [customer_id]  # once: the pass over those written since the switch skips her
    body = await v2(client, headers, customer_id)
    assert status(body) == "pending"
    assert SANCTIONS_SCREENING in body["verificationProfiles"][0]["criteria"]["pending"]
    async with storage.engine.connect() as connection:
        last = (
            await connection.execute(
                select(outbox_events)
                .where(outbox_events.c.customer_id == customer_id)
                .order_by(outbox_events.c.id.desc())
            )
        ).first()
    assert last is not None
    assert (last.kind, last.status_before, last.status_after) == (
        "customer.screening_hit",
        "approved",
        "pending",
    )
    names = [name for _, name in sphere_events(last.kind, last.status_before, last.status_after)]
    assert names == ["customer.update", "customer.kyc.pending", "customer.screening.hit"]
    events = (await client.get(f"/v2/customer/{customer_id}/events", headers=headers)).json()["events"]
    assert (events[-1]["type"], events[-1]["actor"]["role"]) == ("customer.screening_hit", "admin")
    assert await monitoring.run_once(storage) is None  # the job is done: nothing left


async def test_a_cleared_hit_stays_cleared_until_its_entry_changes(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str], storage: Storage
) -> None:
    await load(storage, EMILY_LISTED)
    customer_id = await pending_emily(client, headers)
    [hit] = await hits_of(storage, customer_id)
    cleared = await client.post(
        f"/ops/customers/{customer_id}/screening/{hit.id}",
        json={"resolution": "false_positive", "reason": "Another person: different passport."},
        headers=reviewer_headers,
    )
    assert cleared.status_code == 200, cleared.text
    # The entry leaves the list and comes back unchanged: the job screens her against it again.
    await load(storage, SOMEONE_ELSE)
    await load(storage, SOMEONE_ELSE, EMILY_LISTED)
    await monitoring.run_cycle(storage)
    assert len(await hits_of(storage, customer_id)) == 1
    assert (
        SANCTIONS_SCREENING
        not in (await v2(client, headers, customer_id))["verificationProfiles"][0]["criteria"]["pending"]
    )
    # The entry changes (a new programme): a new hit, open.
    await load(storage, SOMEONE_ELSE, replace(EMILY_LISTED, programmes=("SDGT", "IRAN")))
    await monitoring.run_cycle(storage)
    found = await hits_of(storage, customer_id)
    assert sorted(h.status for h in found) == ["false_positive", "open"]


async def test_a_job_cut_short_resumes_where_it_stopped(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = []
    for _ in range(5):
        created = await create(client, headers)
        named = await put(client, headers, created["id"], {"firstName": "Emily", "lastName": "Carter"})
        assert named.status_code == 200, named.text
        ids.append(created["id"])
    await load(storage, EMILY_LISTED)
    monkeypatch.setattr(monitoring, "PAGE", 2)
    real = customers.screen_again
    calls = 0

    async def crashing(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 3:  # the first page is done; the worker dies in the second
            raise RuntimeError("worker killed")
        return await real(*args, **kwargs)

    monkeypatch.setattr(customers, "screen_again", crashing)
    with pytest.raises(RuntimeError):
        await monitoring.run_once(storage)
    async with storage.engine.connect() as connection:
        [job] = await sanctions.jobs(connection)
    assert (job.screened, job.finished_at) == (2, None)
    assert await monitoring.run_once(storage) is None  # its lease holds it for the worker that died
    async with storage.engine.begin() as connection:  # ... until the lease runs out
        await connection.execute(screening_jobs.update().values(leased_until=None))
    done = await monitoring.run_once(storage)
    assert done is not None
    assert done.screened == 5
    for customer_id in ids:
        assert len(await hits_of(storage, customer_id)) == 1  # none raised twice


async def test_the_worker_in_serve_screens_after_an_update(
    database_url: str, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    """With the worker on (as `kycrail serve` runs it), a list update reaches an approved customer by
    itself, within one cycle."""
    app = create_app(settings_for(database_url, sandbox=True, webhook_worker=True))
    async with app.router.lifespan_context(app):
        storage: Storage = app.state.resources.storage
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as client:
            customer_id = await approved_emily(client, headers, reviewer_headers)
            await load(storage, EMILY_LISTED)

            async def back_in_review() -> bool:
                return status(await v2(client, headers, customer_id)) == "pending"

            await eventually(back_in_review, monitoring.POLL_SECONDS * 5)


async def test_a_customer_written_just_after_the_switch_against_the_old_version_is_caught(
    client: httpx.AsyncClient, headers: dict[str, str], storage: Storage
) -> None:
    """This process looked the versions up a moment ago (none loaded): a customer written just after the
    update is screened against what it had, and committed after the walk passed its place."""
    await storage.screener.refresh(storage.engine, force=True)  # nothing loaded: the stale view
    updates = await lists.update_all(storage.engine, Path("."), only_sdn([EMILY_LISTED]))
    assert any(update.outcome is lists.Outcome.loaded for update in updates)
    created = await create(client, headers)
    named = await put(client, headers, created["id"], {"firstName": "Emily", "lastName": "Carter"})
    assert SANCTIONS_SCREENING not in named.json()["requirements"]["pending"]  # missed, as it happens
    async with storage.engine.begin() as connection:  # the walk is past every customer already
        await connection.execute(screening_jobs.update().values(cursor_tenant_id="~", cursor_customer_id="~"))
    await monitoring.run_cycle(storage)
    assert len(await hits_of(storage, created["id"])) == 1
