"""The database a command uses: only ``serve`` and ``migrate`` create one; every other command needs it
to exist, and every message about a missing database, tenant or key names the database it looked in
(the SQLite file's absolute path; PostgreSQL's host, port and database, never the password)."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from kycrail import cli, migrate
from kycrail.cli import main
from tests.conftest import POSTGRES_URL
from tests.processes import KYCRAIL

NEEDS_A_DATABASE = [
    ["tenants", "list"],
    ["tenants", "create", "acme"],
    ["keys", "create", "--tenant", "sandbox"],
    ["keys", "list"],
    ["keys", "revoke", "kr_abcdefghi"],
    ["kek", "status"],
    ["kek", "rewrap"],
    ["kek", "retire", "kek_20250101_00000000"],
    ["purge"],
]


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    # main() sets up logging for a process; here it would quieten loggers other tests read.
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)
    for name in ("KYCRAIL_DATABASE_URL", "KYCRAIL_KEY_FILE", "KYCRAIL_KEKS", "KYCRAIL_BLIND_INDEX_KEY"):
        monkeypatch.delenv(name, raising=False)


def _describe(database_url: str) -> str:
    """How kycrail names a database, worked out here on its own."""
    if database_url.startswith("sqlite"):
        return f"the SQLite database {os.path.abspath(database_url.split(':///', 1)[1])}"
    url = make_url(database_url)
    return f'the PostgreSQL database "{url.database}" on {url.host}:{url.port or 5432}'


def _head() -> str:
    (head,) = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    return head


# --- only serve and migrate create a database ------------------------------------------------------------


@pytest.mark.parametrize("command", NEEDS_A_DATABASE, ids=" ".join)
def test_a_command_run_from_another_folder_creates_nothing_and_names_the_file_it_looked_for(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # the default database is ./kycrail.db
    assert main(command) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"kycrail: no database at {tmp_path / 'kycrail.db'} (KYCRAIL_DATABASE_URL sqlite:///./kycrail.db "
        "is relative to the current directory; an absolute path takes four slashes: "
        "sqlite:////path/to/kycrail.db): run the command from the folder that holds yours, or point "
        "KYCRAIL_DATABASE_URL at it; `kycrail migrate` would create a new, empty one here\n"
    )
    assert list(tmp_path.iterdir()) == [], "neither a database nor a key file"


@pytest.mark.slow
def test_the_worker_does_not_create_a_database_either(tmp_path: Path) -> None:
    database = tmp_path / "data" / "kycrail.db"
    env = {name: value for name, value in os.environ.items() if not name.startswith("KYCRAIL_")}
    try:
        ran = subprocess.run(
            [str(KYCRAIL), "worker"],
            env={**env, "KYCRAIL_DATABASE_URL": f"sqlite:///{database}"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the worker started on a database that does not exist")
    assert ran.returncode == 2
    assert ran.stderr.startswith(f"kycrail: no database at {database}: run the command from the folder")
    assert not database.parent.exists()


@pytest.mark.sqlite_only
def test_migrate_says_what_it_applied_then_that_nothing_was_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "new" / "kycrail.db"
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", f"sqlite:///{database}")
    revisions = len(list(ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()))
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out == (
        f"applied {revisions} migrations (0001 -> {_head()}) to the SQLite database {database}\n"
    )
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out == f"the SQLite database {database} is up to date ({_head()})\n"


def test_migrate_on_a_migrated_database_says_it_is_up_to_date(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", database_url)
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out == f"{_describe(database_url)} is up to date ({_head()})\n"


# --- messages that name the database ---------------------------------------------------------------------


def test_a_missing_tenant_or_key_names_the_database_it_looked_in(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", database_url)
    where = _describe(database_url)
    assert main(["keys", "create", "--tenant", "sandbox"]) == 1
    assert capsys.readouterr().err == (
        f"kycrail: no tenant named 'sandbox' in {where}; create it with `kycrail tenants create sandbox` "
        "(existing ones: kycrail tenants list)\n"
    )
    assert main(["keys", "revoke", "kr_abcdefghi"]) == 1
    assert capsys.readouterr().err == f"kycrail: no active key with prefix kr_abcdefghi in {where}\n"


def _postgres_url(**parts: object) -> str:
    if not POSTGRES_URL:
        pytest.skip("KYCRAIL_TEST_DATABASE_URL is not set")
    url = make_url(POSTGRES_URL).set(**parts)
    return url.render_as_string(hide_password=False)


@pytest.mark.parametrize(
    "command", [["migrate"], ["keys", "list"], ["tenants", "create", "acme"]], ids=" ".join
)
def test_a_missing_postgresql_database_says_how_to_create_it(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"kycrail_missing_{secrets.token_hex(4)}"
    url = make_url(_postgres_url(database=name))
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", url.render_as_string(hide_password=False))
    host, port = url.host, url.port or 5432
    user = f" -U {url.username}" if url.username else ""
    assert main(command) == 2
    assert capsys.readouterr().err == (
        f'kycrail: the PostgreSQL database "{name}" does not exist on {host}:{port}: create it '
        f"(createdb -h {host} -p {port}{user} {name}), or point KYCRAIL_DATABASE_URL at one that does\n"
    )


def test_an_unknown_postgresql_user_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = make_url(_postgres_url(username="kycrail_no_such_role", password="s3cret"))
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", url.render_as_string(hide_password=False))
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"kycrail: PostgreSQL on {url.host}:{url.port or 5432} refused the user kycrail_no_such_role "
        "(authentication failed: "
    )
    assert err.endswith("): check the user and password in KYCRAIL_DATABASE_URL\n")
    assert err.count("\n") == 1
    assert "s3cret" not in err


def test_an_unreachable_postgresql_server_is_one_line_without_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", "postgresql://user:s3cret@127.0.0.1:1/none")
    assert main(["migrate"]) == 1
    assert capsys.readouterr().err == (
        "kycrail: cannot reach PostgreSQL on 127.0.0.1:1 (connection refused): is the server running, "
        "and is KYCRAIL_DATABASE_URL right?\n"
    )
