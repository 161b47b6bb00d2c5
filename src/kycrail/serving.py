"""The HTTP server: granian, one process per worker, each building the app from the environment.

Chosen over uvicorn by measurement (bench/README.md, "The HTTP server"): the same throughput on one
process, and a tail that does not stall: under 64 connections uvicorn left some connections waiting
for seconds (p99 0.8-1 s on a GET the app answers in 1.5 ms, and timeouts on PATCH) where granian's p99
stayed within about twice its median. Granian also reads a request's headers under a deadline and
within a size, which uvicorn does not: a client that trickles its headers, or sends megabytes of them,
is cut off before the app sees it (README, "Limits").

With ``KYCRAIL_METRICS_TOKEN`` set, the main process makes a directory for the workers' metric files
before it starts them (prometheus-client's multiprocess mode, ``kycrail.metrics.multiprocess``): a
scrape answered by any worker counts every worker's requests.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from granian.constants import HTTPModes, Interfaces, Loops
from granian.http import HTTP1Settings
from granian.log import LogLevels
from granian.server import MPServer

from kycrail.app import create_app
from kycrail.config import Settings, load_settings
from kycrail.log import configure_logging
from kycrail.metrics import families, multiprocess
from kycrail.metrics.endpoint import configured_token

APP_FACTORY = "kycrail.serving:worker_app"
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Connections the kernel holds for the workers to accept (it caps this at net.core.somaxconn): a
# burst of new connections waits here rather than being refused (granian's default is 1,024).
LISTEN_BACKLOG = 4096
# Descriptors a process needs beside its clients' connections: the listening socket, logs, SQLite's
# files, outgoing calls (SumSub, webhooks); the database pool is added to it.
RESERVED_DESCRIPTORS = 128

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    """What one connection may cost the server, before the app sees a request."""

    max_header_bytes: int
    header_timeout_seconds: float
    max_connections: int  # per process
    reserved_descriptors: int = RESERVED_DESCRIPTORS

    @classmethod
    def of(cls, settings: Settings) -> ConnectionLimits:
        return cls(
            max_header_bytes=settings.max_header_bytes,
            header_timeout_seconds=settings.header_timeout_seconds,
            max_connections=settings.max_connections,
            reserved_descriptors=RESERVED_DESCRIPTORS + settings.database_pool_size,
        )


def connection_cap(wanted: int, reserved: int) -> int:
    """How many connections a process can hold without running out of file descriptors.

    The soft descriptor limit is raised toward what ``wanted`` needs, as far as the hard limit allows
    (nginx's ``worker_rlimit_nofile``); where that is still short, fewer connections are accepted and
    a warning says how to raise it. Workers inherit the limit from this process.
    """
    if sys.platform == "win32":
        return wanted
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = wanted + reserved
    if soft != resource.RLIM_INFINITY and soft < needed:
        soft = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return wanted
    capped = max(16, soft - reserved)
    logger.warning(
        "accepting at most %d connections per process, not KYCRAIL_MAX_CONNECTIONS=%d: the file "
        "descriptor limit is %d (raise it with `ulimit -n` or LimitNOFILE=)",
        capped,
        wanted,
        soft,
    )
    return capped


def _die_with_the_server() -> None:
    """A worker process ends when the server's main process does, even killed outright (SIGKILL, the
    OOM killer): an orphan would keep serving, unsupervised, on the port."""
    if sys.platform != "linux":
        return
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # it died before the line above
        os._exit(1)


def worker_app() -> FastAPI:
    """The factory each worker process calls: it reads the settings, logs as the CLI does, and keeps
    its metrics in files of its own when the main process made a directory for them."""
    _die_with_the_server()
    settings = load_settings()
    configure_logging(settings.log_level.value, settings.log_format.value)
    families.for_this_process()  # forked from the main process, which made its metrics in memory
    return create_app(settings)


def granian_logging(log_format: str) -> dict[str, Any] | None:
    """Granian's own records (its start, its workers) in the format kycrail's are in."""
    if log_format != "json":
        return None  # granian's default: one plain line each
    # "class", not "()": dictConfig pops a "()" out of the dict it is given, and granian hands the
    # same dict to the main process and then to each worker.
    return {"formatters": {name: {"class": "kycrail.log.JsonFormatter"} for name in ("generic", "access")}}


def metric_files(settings: Settings) -> AbstractContextManager[Path | None]:
    """With metrics on, a directory the workers share their metrics in, for as long as they serve."""
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    return multiprocess.shared_directory() if configured_token(token) else nullcontext()


def server(
    target: str,
    *,
    host: str,
    port: int,
    workers: int,
    log_level: str,
    limits: ConnectionLimits,
    log_format: str = "text",
) -> MPServer:
    """Granian as kycrail is served: ``target`` is a factory's import string, called in each worker.
    One process per worker (granian's ``Granian`` on a Python with the GIL)."""
    return MPServer(
        target,
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.ASGI,  # with the lifespan: a failing start-up stops the server
        workers=workers,
        loop=Loops.uvloop if sys.platform != "win32" else Loops.asyncio,
        http=HTTPModes.http1,
        # hyper answers 431 to a request line and headers that overflow its buffer, and closes a
        # connection whose headers are not complete within the deadline (idle keep-alive ones too).
        http1_settings=HTTP1Settings(
            keep_alive=True,
            max_buffer_size=limits.max_header_bytes,
            header_read_timeout=round(limits.header_timeout_seconds * 1000),
        ),
        backlog=LISTEN_BACKLOG,
        # Connections a worker holds at once; granian accepts no more until one closes.
        backpressure=connection_cap(limits.max_connections, limits.reserved_descriptors),
        log_enabled=True,
        log_level=LogLevels(log_level),
        log_dictconfig=granian_logging(log_format),
        log_access=False,  # RequestContextMiddleware logs each request, without query strings
    )


def serve(settings: Settings, workers: int) -> None:
    """Serve until interrupted (SIGINT, SIGTERM: in-flight requests finish, then the lifespan ends)."""
    with metric_files(settings):  # before the workers start: they find it in their environment
        server(
            APP_FACTORY,
            host=settings.host,
            port=settings.port,
            workers=workers,
            log_level=settings.log_level.value,
            limits=ConnectionLimits.of(settings),
            log_format=settings.log_format.value,
        ).serve()
