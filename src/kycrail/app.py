"""The ASGI application: routers, middleware, error handlers and the resources' lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import httpx
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.routing import BaseRoute, Mount, Route

from kycrail import __version__
from kycrail.api import dialects as wire_dialects
from kycrail.api import examples as service_examples
from kycrail.api import health, pipeline
from kycrail.api.common.errors import without_framework_errors
from kycrail.api.common.middleware.auth import declare_key_security
from kycrail.api.common.openapi.examples import declare_examples
from kycrail.api.common.openapi.headers import declare_headers
from kycrail.api.common.openapi.variants import name_code_lists, name_variants, sort_dependencies
from kycrail.api.common.resources import Resources
from kycrail.api.errors import install_error_handlers
from kycrail.api.ops.routes import router as ops_router
from kycrail.api.ops.screening import router as ops_screening_router
from kycrail.api.provider_webhooks import router as provider_webhooks_router
from kycrail.api.sandbox import sumsub_pages
from kycrail.api.sandbox.routes import router as sandbox_router
from kycrail.applicants import worker as applicants_worker
from kycrail.config import Settings
from kycrail.console import customer as console_customer
from kycrail.console import guard as console_guard
from kycrail.console import queue as console_queue
from kycrail.console import signing_in as console_signing_in
from kycrail.console import static_files as console_static
from kycrail.customers import service as customers
from kycrail.customers.provider import KycProvider
from kycrail.db import create_engine, utc_now
from kycrail.documents import store as documents_store
from kycrail.documents import sweep as documents_sweep
from kycrail.documents.fetched import Limits
from kycrail.documents.store import S3Store
from kycrail.idempotency import store as idempotency_store
from kycrail.metrics import endpoint as metrics_endpoint
from kycrail.metrics import multiprocess as metrics_processes
from kycrail.screening import monitoring
from kycrail.screening.screener import Screener
from kycrail.share_tokens import repository as share_tokens
from kycrail.storage import Storage
from kycrail.sumsub.client import SumsubClient, client_from_settings
from kycrail.sumsub.importer import SumsubProvider
from kycrail.sumsub.sandbox import in_process_sandbox
from kycrail.tenants.service import KeyCache
from kycrail.vault.keyring import ring_from_settings
from kycrail.vault.vault import Vault
from kycrail.webhooks.dialect import Dialect
from kycrail.webhooks.urls import UrlPolicy
from kycrail.webhooks.worker import Worker

PRUNE_EVERY_SECONDS = 600
log = logging.getLogger(__name__)


async def prune_forever(storage: Storage, retention: timedelta) -> None:
    """In the background (every process may do it; it is idempotent): idempotency keys and remembered
    share-token imports past their retention go away, and deleted customers past theirs are shredded."""

    async def purge(engine: AsyncEngine, now: datetime) -> int:
        return await customers.purge_expired(storage, now - retention)

    async def sweep(engine: AsyncEngine, now: datetime) -> int:
        return await documents_sweep.sweep_orphans(storage, now)

    while True:
        for prune in (idempotency_store.prune_any_tenant, share_tokens.prune_any_tenant, purge, sweep):
            try:
                await prune(storage.engine, utc_now())
            except Exception:
                log.exception("pruning failed (%s); will try again", prune.__module__)
        await asyncio.sleep(PRUNE_EVERY_SECONDS)


async def warm_screener(storage: Storage) -> None:
    """The lists' index built as the process starts (in a thread), rather than by the first write that
    needs it; if the database cannot be read yet, that write builds it."""
    try:
        await storage.screener.refresh(storage.engine)
    except Exception:
        log.warning("the sanctions lists could not be read at start; the first write that screens reads them")


@contextlib.asynccontextmanager
async def document_store(settings: Settings) -> AsyncIterator[S3Store | None]:
    """The object store documents' files go to, open for the process's life; None: the database."""
    if settings.document_store == "database":
        yield None
        return
    secret = settings.s3_secret_access_key
    async with documents_store.opened(
        settings.document_store,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id.get_secret_value() if settings.s3_access_key_id else None,
        secret_access_key=secret.get_secret_value() if secret else None,
    ) as store:
        yield store


def webhook_worker(storage: Storage, settings: Settings) -> Worker:
    """The one place the worker meets the dialects (the webhooks package may not import the API)."""
    dialects: dict[str, Dialect] = {dialect.name: dialect.webhooks for dialect in wire_dialects.DIALECTS}
    return Worker(storage, dialects, UrlPolicy.of(settings))


def kyc_provider(settings: Settings, sumsub: SumsubClient | None) -> SumsubProvider:
    return SumsubProvider(
        sumsub,
        mode=settings.sumsub_import_mode,
        level_name=settings.sumsub_level_name,
        kyb_level_name=settings.sumsub_kyb_level_name,
        link_ttl_seconds=settings.sumsub_link_ttl_seconds,
    )


async def follow_applicants(storage: Storage, provider: KycProvider, settings: Settings) -> None:
    """SumSub's notifications left to the worker, the reconciliation of applicants in review, and the
    files of the documents it reviewed, fetched."""
    every = timedelta(seconds=settings.sumsub_reconcile_seconds)
    limits = Limits(max_bytes=settings.document_max_bytes, max_pixels=settings.document_max_pixels)
    await applicants_worker.run_forever(storage, provider, every=every, limits=limits)


async def run_worker(worker: Worker) -> None:
    try:
        await worker.run()
    finally:
        await worker.aclose()


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
        closing = contextlib.AsyncExitStack()
        storage = Storage(
            engine,
            Vault(ring_from_settings(settings)),
            screener=Screener(settings.screening_threshold),
            document_store=await closing.enter_async_context(document_store(settings)),
        )
        sumsub: SumsubClient | None
        emulator = None
        if settings.sandbox:
            # Its webhooks go to this app's own /webhooks/sumsub, in process, once a secret is set
            # (`kycrail serve --sandbox` makes one); its WebSDK page is served under /sandbox/sumsub.
            sandbox = in_process_sandbox(
                settings,
                webhook_transport=httpx.ASGITransport(app=app) if settings.sumsub_webhook_secret else None,
                public_url=sumsub_pages.public_url(settings.host, settings.port),
            )
            emulator = app.state.emulator = sandbox.emulator  # tests turn its knobs
            sumsub = sandbox.client
        else:
            sumsub = client_from_settings(settings)
        provider = kyc_provider(settings, sumsub)
        app.state.resources = Resources(
            settings=settings,
            engine=engine,
            storage=storage,
            kyc_provider=provider,
            sumsub=sumsub,
            key_cache=KeyCache(settings.auth_cache_seconds),
        )
        background = [
            asyncio.create_task(prune_forever(storage, timedelta(days=settings.retention_days))),
            asyncio.create_task(warm_screener(storage)),
        ]
        if settings.webhook_worker:
            background.append(asyncio.create_task(run_worker(webhook_worker(storage, settings))))
            background.append(asyncio.create_task(follow_applicants(storage, provider, settings)))
            background.append(asyncio.create_task(monitoring.run_forever(storage)))
        try:
            yield
        finally:
            for task in background:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if emulator is not None:
                await emulator.webhooks.aclose()
            if sumsub is not None:
                await sumsub.aclose()
            await closing.aclose()
            await engine.dispose()
            metrics_processes.process_ends()  # a worker of `kycrail serve`: its gauges go, its counts stay

    # FastAPIOffline: FastAPI whose /docs and /redoc load their assets from the installed package, so
    # the API document works on a machine without the internet (FastAPI's own load them from a CDN).
    app = FastAPIOffline(
        title="kycrail",
        version=__version__,
        description="Customer and KYC registry speaking SpherePay's v2 and Swipelux's v1 customer APIs.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_exception_handler(console_guard.Refused, console_guard.refused)  # to sign in; a 403 page
    routers = [
        health.router,
        *(router for dialect in wire_dialects.DIALECTS for router in dialect.routers),
        provider_webhooks_router,
        ops_router,
        ops_screening_router,
        # The reviewer console: people signed in, not API keys; pages, not in the API's document.
        console_signing_in.router,
        console_queue.router,
        console_customer.router,
        console_static.router,
    ]
    if settings.sandbox:
        routers.append(sandbox_router)
        app.mount(sumsub_pages.PREFIX, sumsub_pages.pages(lambda: app.state.emulator))
    # The routers' own routes, shared by every app this process makes: they were built once, when their
    # modules were imported. (include_router would have the app build each route again, on its first
    # request: some 50 ms per app, paid by every test that makes one.)
    routes = [route for router in routers for route in router.routes]
    app.router.routes.extend(routes)
    token = metrics_endpoint.configured_token(
        settings.metrics_token.get_secret_value() if settings.metrics_token else None
    )
    if token is not None:  # not a router's: no API key, not in the API's document
        app.router.routes.append(metrics_endpoint.route(token, engine=lambda: app.state.resources.engine))

    def served() -> list[BaseRoute]:  # the routers' routes, FastAPI's own (the docs), the mounts
        return [route for route in app.routes if isinstance(route, Route | Mount)]

    # The resources are set by the lifespan; the routes are read at the first request.
    pipeline.install(app, settings, resources=lambda: app.state.resources, routes=served)
    examples = [*(dialect.examples for dialect in wire_dialects.DIALECTS), service_examples.EXAMPLES]
    if settings.sandbox:
        examples.append(service_examples.SANDBOX_EXAMPLES)
    build_openapi = app.openapi  # builds once, then returns the cached document
    app.openapi = lambda: declare_examples(  # type: ignore[method-assign]
        declare_headers(
            without_framework_errors(
                declare_key_security(
                    name_code_lists(sort_dependencies(name_variants(build_openapi()))), routes
                )
            )
        ),
        *examples,
    )
    return app
