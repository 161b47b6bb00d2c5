"""`kycrail operators create|list|disable`, run in-process on the test database: the console's people,
made from the command line with a one-time enrolment link."""

from __future__ import annotations

import re

import pytest

from kycrail.cli import main
from tests.processes import key_env

LINK = re.compile(r"^http://127\.0\.0\.1:8000/console/enrol\?token=[A-Za-z0-9_-]{43}$")


@pytest.fixture(autouse=True)
def _use_test_database(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", database_url)
    for name, value in key_env(database_url).items():
        monkeypatch.setenv(name, value)
    assert main(["tenants", "create", "acme"]) == 0


def _run(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    assert main(list(args)) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_create_prints_a_one_time_link_and_list_shows_the_operator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = _run(capsys, "operators", "create", "Rita@Acme.example", "--tenant", "acme", "--role", "admin")
    lines = out.splitlines()
    assert lines[0].startswith("created admin rita@acme.example (op_")
    assert LINK.fullmatch(lines[-1]), lines[-1]
    token = lines[-1].split("token=")[1]
    listing, _ = _run(capsys, "operators", "list")
    assert listing.splitlines()[0].split() == ["EMAIL", "TENANT", "ROLE", "STATE", "ID"]
    row = next(line.split() for line in listing.splitlines() if line.startswith("rita@"))
    assert row[1:4] == ["acme", "admin", "enrolling"]
    assert token not in listing


def test_the_link_names_the_consoles_address_when_given(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(
        capsys, "operators", "create", "sam@acme.example", "--tenant", "acme", "--url", "https://kyc.example/"
    )
    assert out.splitlines()[-1].startswith("https://kyc.example/console/enrol?token=")


def test_an_email_is_one_operator_in_all_tenants(capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "operators", "create", "rita@acme.example", "--tenant", "acme")
    assert main(["tenants", "create", "globex"]) == 0
    _, err = _run(capsys, "operators", "create", "RITA@acme.example", "--tenant", "globex", code=1)
    assert "exists already" in err


def test_a_bad_email_or_an_unknown_tenant_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, err = _run(capsys, "operators", "create", "not-an-email", "--tenant", "acme", code=2)
    assert "is not an email address" in err
    _, err = _run(capsys, "operators", "create", "x@acme.example", "--tenant", "nope", code=1)
    assert "no tenant named 'nope'" in err


def test_disable_marks_the_operator_and_an_unknown_one_fails(capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "operators", "create", "rita@acme.example", "--tenant", "acme")
    out, _ = _run(capsys, "operators", "disable", "rita@acme.example")
    assert out.startswith("disabled op_")
    listing, _ = _run(capsys, "operators", "list")
    assert "disabled" in next(line for line in listing.splitlines() if line.startswith("rita@"))
    _, err = _run(capsys, "operators", "disable", "nobody@acme.example", code=1)
    assert "no operator" in err
