"""What a command checks before it starts (kycrail.startup): a port something else listens on, the key
file inside a git work tree that does not ignore it, ``KYCRAIL_*`` variables that are no setting. Run
in-process, with the HTTP server itself stubbed out (tests/test_serve.py starts real ones)."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kycrail import cli, serving, startup
from kycrail.cli import main
from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[1]
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``kycrail serve`` up to the server's start: the ports it would have served are recorded."""
    ports: list[int] = []
    monkeypatch.setattr(serving, "serve", lambda settings, workers: ports.append(settings.port))
    # main() sets up logging for a process; here it would quieten loggers other tests read.
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)
    # serve hands its settings to its workers through the environment: put ours back afterwards.
    for name in ("KYCRAIL_HOST", "KYCRAIL_PORT", "KYCRAIL_SANDBOX", "KYCRAIL_SUMSUB_WEBHOOK_SECRET"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return ports


# --- a port in use ---------------------------------------------------------------------------------------


def _in_use_line(port: int, choose: str = "--port or KYCRAIL_PORT") -> str:
    return (
        f"kycrail: 127.0.0.1:{port} is already in use (another kycrail, or another program): stop it, "
        f"or choose another port with {choose}\n"
    )


@pytest.fixture
def listener(request: pytest.FixtureRequest) -> Iterator[int]:
    """A port another program listens on; with SO_REUSEPORT when the test is parametrized so (as granian
    binds, so that its workers share the port)."""
    with socket.socket() as sock:
        if getattr(request, "param", False):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize("listener", [False, True], indirect=True, ids=["plain", "reuseport"])
def test_a_port_in_use_stops_serve_with_one_line(
    served: list[int],
    listener: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = tmp_path / "kycrail.db"
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", f"sqlite:///{database}")
    assert main(["serve", "--port", str(listener)]) == 2
    assert capsys.readouterr().err == _in_use_line(listener)
    assert served == []
    assert list(tmp_path.iterdir()) == [], "checked before anything is created"


def test_a_free_port_is_served(
    served: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", f"sqlite:///{tmp_path / 'kycrail.db'}")
    port = free_port()
    assert main(["serve", "--port", str(port)]) == 0
    assert served == [port]
    assert "already in use" not in capsys.readouterr().err


def test_a_port_with_connections_from_a_stopped_server_is_free() -> None:
    """Connections an earlier server closed linger in TIME_WAIT on its port: they do not hold it."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = server.accept()
            accepted.close()  # the server closes first: its side of the connection enters TIME_WAIT
            client.recv(1)
    startup.check_port("127.0.0.1", port)  # does not raise


def test_the_emulator_checks_its_port_too(
    listener: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KYCRAIL_SUMSUB_APP_TOKEN", "sbx:token")
    monkeypatch.setenv("KYCRAIL_SUMSUB_SECRET_KEY", "secret")
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)
    assert main(["sandbox", "sumsub", "--port", str(listener)]) == 2
    assert capsys.readouterr().err == _in_use_line(listener, "--port")


# --- the key file inside a git work tree -----------------------------------------------------------------


@needs_git
def test_the_repository_ignores_the_embedded_database_and_its_key_file() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git work tree")
    for name in ("kycrail.db", "kycrail.db-wal", "kycrail.db-shm", "kycrail.db.keys", "data/other.db.keys"):
        checked = subprocess.run(
            [
                "git",
                "-c",
                "core.excludesFile=/dev/null",
                "-C",
                str(ROOT),
                "check-ignore",
                "--no-index",
                "-q",
                name,
            ],
            check=False,
        )
        assert checked.returncode == 0, f"{name} is not ignored by .gitignore"


def _git_work_tree(path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def _warning(key_file: Path, work_tree: Path) -> str:
    return (
        f"kycrail: the key file {key_file} is inside the git work tree {work_tree} and git does not ignore "
        "it: add it to .gitignore there (a commit would carry the encryption keys)"
    )


@needs_git
def test_serve_warns_when_its_key_file_is_in_a_git_work_tree_that_does_not_ignore_it(
    served: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work_tree = _git_work_tree(tmp_path / "project")
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", f"sqlite:///{work_tree / 'data' / 'kycrail.db'}")
    monkeypatch.delenv("KYCRAIL_KEY_FILE", raising=False)
    key_file = work_tree / "data" / "kycrail.db.keys"
    assert main(["serve", "--port", str(free_port())]) == 0
    assert _warning(key_file, work_tree) in capsys.readouterr().err.splitlines()

    (work_tree / ".gitignore").write_text("*.db.keys\n")
    assert main(["serve", "--port", str(free_port())]) == 0
    assert "key file" not in capsys.readouterr().err
    assert len(served) == 2


@needs_git
def test_kek_init_warns_only_where_git_would_commit_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)
    work_tree = _git_work_tree(tmp_path / "project")
    (work_tree / ".gitignore").write_text("ignored.keys\n")
    assert main(["kek", "init", "--key-file", str(work_tree / "ignored.keys")]) == 0
    assert "kycrail: the key file" not in capsys.readouterr().err
    assert main(["kek", "init", "--key-file", str(work_tree / "config" / "kycrail.keys")]) == 0
    assert _warning(work_tree / "config" / "kycrail.keys", work_tree) in capsys.readouterr().err.splitlines()
    assert main(["kek", "init", "--key-file", str(tmp_path / "outside.keys")]) == 0  # no work tree
    assert "kycrail: the key file" not in capsys.readouterr().err


def test_without_git_the_key_file_is_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)
    (tmp_path / ".git").mkdir()  # looks like a work tree, but there is no git to ask
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    assert main(["kek", "init", "--key-file", str(tmp_path / "kycrail.keys")]) == 0
    assert "kycrail: the key file" not in capsys.readouterr().err


# --- KYCRAIL_ variables that are no setting --------------------------------------------------------------


def test_a_misspelled_setting_is_named_with_the_closest_one(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", database_url)
    monkeypatch.setenv("KYCRAIL_DATABSE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("KYCRAIL_COLOUR", "blue")
    # Read by kycrail's own tests and CI, not settings: never warned about.
    monkeypatch.setenv("KYCRAIL_TEST_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("KYCRAIL_REQUIRE_BROWSER", "1")
    monkeypatch.setenv("KYCRAIL_SCREENSHOTS", "build/screenshots")
    monkeypatch.setenv("kycrail_log_level", "info")  # settings are read whatever the case
    assert main(["tenants", "list"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert (
        "kycrail: KYCRAIL_DATABSE_URL is not a setting (did you mean KYCRAIL_DATABASE_URL?); it is ignored"
        in err
    )
    assert "kycrail: KYCRAIL_COLOUR is not a setting; it is ignored" in err
    assert not [
        line for line in err if any(name in line for name in ("TEST_DATABASE", "BROWSER", "SCREENSHOTS"))
    ]
    assert not [line for line in err if "log_level" in line.lower()]
