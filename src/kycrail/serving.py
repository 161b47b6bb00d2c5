"""The HTTP server: granian, one process per worker, each building the app from the environment.

Chosen over uvicorn by measurement (bench/README.md, "The HTTP server"): the same throughput on one
process, and a tail that does not stall: under 64 connections uvicorn left some connections waiting
for seconds (p99 0.8-1 s on a GET the app answers in 1.5 ms, and timeouts on PATCH) where granian's p99
stayed within about twice its median. Granian also reads a request's headers under a deadline, which
uvicorn does not.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys

from fastapi import FastAPI
from granian.constants import HTTPModes, Interfaces, Loops
from granian.http import HTTP1Settings
from granian.log import LogLevels
from granian.server import MPServer

from kycrail.app import create_app
from kycrail.config import Settings, load_settings
from kycrail.log import configure_logging

APP_FACTORY = "kycrail.serving:worker_app"
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


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
    """The factory each worker process calls: it reads the settings, and logs as the CLI does."""
    _die_with_the_server()
    settings = load_settings()
    configure_logging(settings.log_level.value)
    return create_app(settings)


def server(target: str, *, host: str, port: int, workers: int, log_level: str) -> MPServer:
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
        http1_settings=HTTP1Settings(keep_alive=True),
        log_enabled=True,
        log_level=LogLevels(log_level),
        log_access=False,  # RequestContextMiddleware logs each request, without query strings
    )


def serve(settings: Settings, workers: int) -> None:
    """Serve until interrupted (SIGINT, SIGTERM: in-flight requests finish, then the lifespan ends)."""
    server(
        APP_FACTORY,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level=settings.log_level.value,
    ).serve()
