"""What a command checks before it starts, and the one line it prints when a check fails.

- The port ``serve`` (or the SumSub emulator) would listen on is free: granian binds each worker's
  socket with SO_REUSEPORT (so that a server's workers share the port), which lets a second server of
  the same user bind it too, and the kernel then splits the requests between the two.
- The database a command uses exists: only ``serve`` and ``migrate`` create one. Every message about a
  database names it: the SQLite file's absolute path, or PostgreSQL's host, port and database (never
  the password).
- The encryption key file is not inside a git work tree that would commit it.
- No ``KYCRAIL_`` variable is a misspelled setting, which the settings would silently ignore.

Warnings are printed to stderr, one line each, like the errors (``kycrail: ...``).
"""

from __future__ import annotations

import errno
import ipaddress
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from kycrail.config import Settings, unknown_settings

GIT_TIMEOUT_SECONDS = 10
# SQLSTATEs PostgreSQL answers a connection with.
_NO_SUCH_DATABASE = "3D000"
_AUTHENTICATION_FAILED = ("28000", "28P01")
_UNKNOWN_HOST = "unknown host"


class CannotStart(Exception):
    """A check failed: the message is the one line to print (after ``kycrail: ``), ``exit_code`` the
    command's (2: a setting or the machine must change; 1: something may come back by itself)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def warn(message: str) -> None:
    print(f"kycrail: {message}", file=sys.stderr, flush=True)


# --- the port --------------------------------------------------------------------------------------------


def check_port(host: str, port: int, *, choose: str = "--port or KYCRAIL_PORT") -> None:
    """Raise ``CannotStart`` when something listens on ``host:port`` already.

    Granian (2.x, on Linux) has each worker bind a socket of its own with SO_REUSEPORT and SO_REUSEADDR,
    and has no setting to turn SO_REUSEPORT off. The probe binds as they do but without SO_REUSEPORT,
    which fails against any listener, granian's included; with SO_REUSEADDR, so that connections an
    earlier server closed (TIME_WAIT) do not hold the port. It runs before this server's own workers
    bind. A server starting at the very same moment can still slip between the two.
    """
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:
        return  # a name, not an address: the server refuses it itself
    shown = f"[{host}]:{port}" if family == socket.AF_INET6 else f"{host}:{port}"
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if sys.platform != "win32":  # there, SO_REUSEADDR would let the probe share a listener's port
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CannotStart(
                    f"{shown} is already in use (another kycrail, or another program): stop it, "
                    f"or choose another port with {choose}"
                ) from None
            raise CannotStart(f"cannot listen on {shown}: {exc.strerror}") from None


# --- the database ----------------------------------------------------------------------------------------


def _postgres_url(settings: Settings) -> URL:
    return make_url(settings.database_url)


def _postgres_server(url: URL) -> str:
    return f"{url.host or 'localhost'}:{url.port or 5432}"


def describe_database(settings: Settings) -> str:
    """``the SQLite database /abs/kycrail.db``, or ``the PostgreSQL database "kycrail" on host:5432``."""
    if settings.sqlite_path is not None:
        return f"the SQLite database {os.path.abspath(settings.sqlite_path)}"
    url = _postgres_url(settings)
    return f'the PostgreSQL database "{url.database}" on {_postgres_server(url)}'


def require_database(settings: Settings) -> None:
    """Raise ``CannotStart`` when the SQLite file does not exist: opening it would create an empty one
    (and its key file), in whatever folder the command runs from. A PostgreSQL database that does not
    exist is found on connecting (``database_failure``)."""
    path = settings.sqlite_path
    if path is None or path.exists():
        return
    # As written in the URL (a Path would drop its "./"), to show what was relative to what.
    written = settings.database_url.split(":///", 1)[1]
    relative = (
        ""
        if path.is_absolute()
        else f" (KYCRAIL_DATABASE_URL sqlite:///{written} is relative to the current directory; an absolute"
        " path takes four slashes: sqlite:////path/to/kycrail.db)"
    )
    raise CannotStart(
        f"no database at {os.path.abspath(path)}{relative}: run the command from the folder that holds "
        "yours, or point KYCRAIL_DATABASE_URL at it; `kycrail migrate` would create a new, empty one here"
    )


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, the driver's error SQLAlchemy wraps in it, and what caused each."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        orig = getattr(current, "orig", None)
        pending += [orig if isinstance(orig, BaseException) else None, current.__cause__, current.__context__]
    return seen


def _sqlstate(exc: BaseException) -> str | None:
    for error in _chain(exc):
        state = getattr(error, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def _postgres_message(exc: BaseException) -> str:
    """PostgreSQL's own words (role "x" does not exist), as the driver has them (SQLAlchemy's wrapper
    prefixes a class name): no password is ever in them."""
    answered = [error for error in _chain(exc) if getattr(error, "sqlstate", None) is not None]
    answered.sort(key=lambda error: not type(error).__module__.startswith("asyncpg"))
    words = str(answered[0]).strip().splitlines() if answered else []
    return words[0] if words else type(exc).__name__


def _unreachable(exc: BaseException) -> str | None:
    """Why a server could not be reached, if that is what ``exc`` says."""
    for error in _chain(exc):
        if isinstance(error, socket.gaierror):
            return _UNKNOWN_HOST
        if isinstance(error, ConnectionRefusedError):
            return "connection refused"
        if isinstance(error, TimeoutError):
            return "no answer in time"
        if isinstance(error, OSError) and error.strerror:
            return error.strerror.lower()
    return None


def database_failure(exc: BaseException, settings: Settings) -> CannotStart:
    """The one line for a database a command could not use."""
    if settings.sqlite_path is None:
        url = _postgres_url(settings)
        server = _postgres_server(url)
        state = _sqlstate(exc)
        if state == _NO_SUCH_DATABASE:
            user = f" -U {url.username}" if url.username else ""
            host, port = url.host or "localhost", url.port or 5432
            return CannotStart(
                f'the PostgreSQL database "{url.database}" does not exist on {server}: create it '
                f"(createdb -h {host} -p {port}{user} {url.database}), or point KYCRAIL_DATABASE_URL at "
                "one that does"
            )
        if state in _AUTHENTICATION_FAILED:
            return CannotStart(
                f"PostgreSQL on {server} refused the user {url.username or '(none given)'} (authentication "
                f"failed: {_postgres_message(exc)}): check the user and password in KYCRAIL_DATABASE_URL"
            )
        reason = _unreachable(exc)
        if reason is not None:
            hint = (
                "check the host in KYCRAIL_DATABASE_URL"
                if reason == _UNKNOWN_HOST
                else "is the server running, and is KYCRAIL_DATABASE_URL right?"
            )
            return CannotStart(f"cannot reach PostgreSQL on {server} ({reason}): {hint}", exit_code=1)
    hidden = make_url(settings.database_url).render_as_string(hide_password=True)
    return CannotStart(f"cannot use the database at {hidden}: {type(exc).__name__}", exit_code=1)


# --- the key file inside a git work tree -----------------------------------------------------------------


def _git_work_tree(path: Path) -> Path | None:
    """The work tree holding ``path`` (the nearest folder above it with a ``.git``), if any."""
    for folder in path.parents:
        if (folder / ".git").exists():  # a folder, or a file in a linked work tree or a submodule
            return folder
    return None


def check_key_file(path: Path | None) -> None:
    """Warn when the key file lies inside a git work tree that does not ignore it: ``git add -A`` would
    commit the encryption keys. Quiet where git is not installed or cannot tell."""
    if path is None:
        return
    path = Path(os.path.abspath(path))
    work_tree = _git_work_tree(path)
    git = shutil.which("git")
    if work_tree is None or git is None:
        return
    try:
        # Exit code 0: ignored; 1: not ignored (a committed file is never ignored); 128: git could not tell.
        checked = subprocess.run(  # noqa: S603 (git itself, with arguments of our own)
            [git, "-C", str(work_tree), "check-ignore", "-q", "--", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return
    if checked.returncode == 1:
        warn(
            f"the key file {path} is inside the git work tree {work_tree} and git does not ignore it: "
            "add it to .gitignore there (a commit would carry the encryption keys)"
        )


# --- KYCRAIL_ variables that are no setting --------------------------------------------------------------


def check_environment(environ: Mapping[str, str]) -> None:
    """Warn about each ``KYCRAIL_`` variable that is no setting, naming the closest setting."""
    for variable, closest in unknown_settings(environ):
        hint = f" (did you mean {closest}?)" if closest else ""
        warn(f"{variable} is not a setting{hint}; it is ignored")
