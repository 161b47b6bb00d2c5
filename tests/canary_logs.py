"""A pytest plugin: no log record may carry a secret (issue 12, item 7c).

For the whole session a handler on the root logger reads every record (its formatted message, its
raw message and arguments, its exception and stack text, and any ``extra`` attributes) and looks for:

- the canaries tests register (the ``canaries`` fixture, or ``register``), as sent, JSON-escaped and
  URL-encoded;
- API keys (``kr_`` and 43 url-safe base64 characters, tenants/keys.py);
- SumSub share tokens (``_act-`` and a long token, the shape of the emulator's and SumSub's);
- tax numbers: the SSNs the tests and the emulator's donors use (with or without dashes), and
  anything SSN-shaped.

What each log format (``KYCRAIL_LOG_FORMAT``: text, json) would write of the record is read too, so a
format that wrote more of a record than its message (an ``extra`` attribute, say) is caught.

The test during which such a record was logged fails (its report names the logger, where it logged
and which kind of secret, never the secret in full). The record is also redacted in place, so neither
pytest's "Captured log" section nor any later handler repeats the secret in CI output.

The root logger runs at DEBUG so that every kycrail record is looked at; the database drivers stay
at WARNING, as ``kycrail.log.configure_logging`` keeps them in production (their statements' parameters
are hidden, and logging every statement and row would slow the suite for nothing kycrail writes).
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import re
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote, quote_plus

import pytest

from kycrail.log import formatter
from kycrail.sumsub.emulator.donors import seeded_donors
from tests.factories import JANE

pytest_plugins = ["pytester"]  # the self-test runs a session of its own (tests/test_data_at_rest.py)

API_KEY = re.compile(r"kr_[A-Za-z0-9_-]{43}")
# "_act-[redacted]" (what kycrail leaves of a token) does not match: "[" is not a token character.
SHARE_TOKEN = re.compile(r"_act-[A-Za-z0-9_.-]{16,}")
SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
# What kycrail's log formats write of a record (kycrail.log.configure_logging's choice).
FORMATTERS = (formatter("text"), formatter("json"))
# The database drivers: kept at WARNING whatever the root's level (see the module's docstring).
QUIET_LOGGERS = ("sqlalchemy", "aiosqlite", "asyncpg")


def _known_tax_numbers() -> list[str]:
    numbers = {JANE["personalInformation"]["taxIdentificationNumber"]}
    numbers |= {applicant["info"]["tin"] for applicant, _ in seeded_donors() if "tin" in applicant["info"]}
    return sorted(numbers)


# The same numbers written without dashes ("123456789"), not inside a longer run of digits.
TAX_NUMBERS = re.compile(
    "|".join(rf"(?<!\d){re.escape(number.replace('-', ''))}(?!\d)" for number in _known_tax_numbers())
)


def _json_escaped(value: str) -> str:
    return json.dumps(value)[1:-1]


def _forms(value: str) -> set[str]:
    """A value as a log line may show it: as it is, JSON-escaped, URL-encoded (a query string)."""
    return {value, _json_escaped(value), quote(value, safe=""), quote_plus(value, safe="")}


class Canaries:
    """Values no log record may hold: each with a label, which is what a failure names."""

    MIN_LENGTH = 6  # shorter values would turn up in logs by chance

    def __init__(self) -> None:
        self._forms: dict[str, tuple[str, frozenset[str]]] = {}  # value -> (label, its forms)

    def add(self, label: str, value: str) -> str:
        if len(value) < self.MIN_LENGTH:
            raise ValueError(f"canary {label!r} is too short to be told apart from chance")
        self._forms[value] = (label, frozenset(_forms(value)))
        return value

    def found_in(self, text: str) -> list[tuple[str, str]]:
        return [
            (f"canary {label!r}", value)
            for value, (label, forms) in list(self._forms.items())
            if any(form in text for form in forms)
        ]


def secrets_in(text: str, canaries: Canaries) -> list[tuple[str, str]]:
    """(kind, secret) of every secret in ``text``."""
    found = canaries.found_in(text)
    found += [("API key", match.group()) for match in API_KEY.finditer(text)]
    found += [("SumSub share token", match.group()) for match in SHARE_TOKEN.finditer(text)]
    found += [("tax number", match.group()) for match in SSN.finditer(text)]
    found += [("tax number", match.group()) for match in TAX_NUMBERS.finditer(text)]
    return found


def preview(secret: str) -> str:
    """Enough to find the secret again in the test, never the secret itself."""
    shown = secret[:6] + "..." if len(secret) >= 24 else ""
    return f"{shown}({len(secret)} characters)"


@dataclass(frozen=True, slots=True)
class Leak:
    logger: str
    level: str
    where: str
    kind: str
    preview: str

    def __str__(self) -> str:
        where = f"{self.level}, {self.where}"
        return f"logger {self.logger!r} ({where}) logged a secret: {self.kind}, {self.preview}"


_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}


def _texts(record: logging.LogRecord) -> list[str]:
    """Everything a handler or formatter could write out of this record. A part that cannot be made
    into text (a broken format string, a failing ``__str__``) cannot be written out either: skipped."""
    arguments = record.args
    values = list(arguments.values() if isinstance(arguments, dict) else arguments or ())
    parts: list[Callable[[], str]] = [lambda: str(record.msg), record.getMessage]
    parts += [partial(str, value) for value in values] + [partial(repr, value) for value in values]
    if record.exc_info and record.exc_info[0] is not None:
        parts.append(partial(_exception_text, record))
    parts += [partial(str, record.exc_text or ""), partial(str, record.stack_info or "")]
    parts += [partial(_formatted, formatter, record) for formatter in FORMATTERS]
    parts += [
        partial("{}={!r}".format, name, value)
        for name, value in record.__dict__.items()
        if name not in _STANDARD_ATTRIBUTES
    ]
    texts = []
    for part in parts:
        with contextlib.suppress(Exception):
            texts.append(part())
    return texts


def _formatted(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    # A copy: the request id is set by configure_logging's handler (which this one runs before), and
    # formatting caches text in the record that the other handlers would write unchanged.
    written = copy.copy(record)
    written.__dict__.setdefault("request_id", "-")
    return formatter.format(written)


def _exception_text(record: logging.LogRecord) -> str:
    assert record.exc_info is not None
    return "".join(traceback.format_exception(*record.exc_info))


def _redact(text: str, secrets: list[tuple[str, str]]) -> str:
    for kind, secret in secrets:
        for form in _forms(secret):
            text = text.replace(form, f"[{kind} redacted by canary_logs]")
    return text


def check(record: logging.LogRecord, canaries: Canaries) -> list[Leak]:
    """The secrets a record carries (as leaks, without their values), redacting them in the record."""
    # One pass over all of it: a line break between the parts, so none runs into the next.
    secrets = set(secrets_in("\n".join(_texts(record)), canaries))
    if not secrets:
        return []
    ordered = sorted(secrets)
    try:
        message = record.getMessage()
    except Exception:
        message = f"{record.msg!s} {record.args!r}"
    record.msg, record.args = _redact(message, ordered), None
    if record.exc_info and record.exc_info[0] is not None:
        # Formatters write the cached text rather than format the exception again.
        record.exc_text = _redact(_exception_text(record), ordered)
    elif record.exc_text:
        record.exc_text = _redact(record.exc_text, ordered)
    if record.stack_info:
        record.stack_info = _redact(record.stack_info, ordered)
    for name, value in list(record.__dict__.items()):
        if name in _STANDARD_ATTRIBUTES:
            continue
        if isinstance(value, str):
            setattr(record, name, _redact(value, ordered))
        elif _redact(repr(value), ordered) != repr(value):
            setattr(record, name, _redact(repr(value), ordered))
    where = f"{record.pathname}:{record.lineno}"
    return [Leak(record.name, record.levelname, where, kind, preview(secret)) for kind, secret in ordered]


class CanaryHandler(logging.Handler):
    """Collects the leaks in the records it sees until the plugin reports them."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.canaries = Canaries()
        self._leaks: list[Leak] = []
        self.outside: list[Leak] = []  # logged between tests
        self._leaks_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        # Only the innermost session's handler looks: a pytester run inside a test logs on purpose.
        if not _ACTIVE or _ACTIVE[-1] is not self:
            return
        leaks = check(record, self.canaries)
        if leaks:
            with self._leaks_lock:
                self._leaks.extend(leaks)

    def drain(self) -> list[Leak]:
        with self._leaks_lock:
            leaks, self._leaks = self._leaks, []
        return leaks


_ACTIVE: list[CanaryHandler] = []
_HANDLER = pytest.StashKey[CanaryHandler]()
_SAVED_LEVELS = pytest.StashKey[dict[str, int]]()


def register(label: str, value: str) -> str:
    """Register a canary with the running session (for code without the fixture); returns it."""
    if not _ACTIVE:
        raise RuntimeError("tests.canary_logs is not loaded in this session")
    return _ACTIVE[-1].canaries.add(label, value)


def _writes_to_a_closed_stream(handler: logging.Handler) -> bool:
    return isinstance(handler, logging.StreamHandler) and bool(getattr(handler.stream, "closed", False))


def _first_handler(handler: CanaryHandler) -> None:
    """Put the handler first of the root's: it redacts a record before any other handler writes it out.

    A handler left writing to a closed stream goes (the CLI's ``configure_logging``, run under capsys,
    leaves one on the root): it can only fail, and logging's report of that failure prints the
    exception being handled, secrets and all, where no redaction reaches."""
    root = logging.getLogger()
    others = [other for other in root.handlers if other is not handler]
    kept = [other for other in others if not _writes_to_a_closed_stream(other)]
    if root.handlers[:1] != [handler] or kept != others:
        # A new list, not an edit: a thread logging meanwhile goes on over the old one.
        root.handlers = [handler, *kept]


def _install_levels() -> None:
    logging.getLogger().setLevel(logging.DEBUG)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def pytest_configure(config: pytest.Config) -> None:
    handler = CanaryHandler()
    config.stash[_HANDLER] = handler
    names = ("", *QUIET_LOGGERS)
    config.stash[_SAVED_LEVELS] = {name: logging.getLogger(name).level for name in names}
    _ACTIVE.append(handler)
    _first_handler(handler)
    _install_levels()


def pytest_unconfigure(config: pytest.Config) -> None:
    handler = config.stash.get(_HANDLER, None)
    if handler is None:
        return
    logging.getLogger().removeHandler(handler)
    if handler in _ACTIVE:
        _ACTIVE.remove(handler)
    for name, level in config.stash[_SAVED_LEVELS].items():
        logging.getLogger(name).setLevel(level)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # A test may have reconfigured logging for good (the CLI's configure_logging sets the root's level
    # and adds its own handler): every test starts looked at, at DEBUG.
    _first_handler(item.config.stash[_HANDLER])
    _install_levels()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    # Whatever was logged since the last test ended (collection, say) belongs to no test.
    handler = item.config.stash[_HANDLER]
    handler.outside.extend(handler.drain())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report: pytest.TestReport = yield
    leaks = item.config.stash[_HANDLER].drain()
    if leaks:
        message = f"canary_logs: secrets in log records during {report.when}:\n" + "\n".join(
            f"  - {leak}" for leak in leaks
        )
        if report.passed or report.skipped:
            report.longrepr = message
        else:
            report.sections.append(("canary_logs", message))
        report.outcome = "failed"
        if hasattr(report, "wasxfail"):
            del report.wasxfail
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Records logged outside any test (collection, the end of the session) fail the run too."""
    handler = session.config.stash[_HANDLER]
    leaks = handler.outside + handler.drain()
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("canary_logs: secrets in log records outside any test:", red=True)
            for leak in leaks:
                reporter.write_line(f"  - {leak}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def canaries(pytestconfig: pytest.Config) -> Canaries:
    """Register values no log record may hold, for the rest of the session: ``canaries.add(label, value)``."""
    return pytestconfig.stash[_HANDLER].canaries
