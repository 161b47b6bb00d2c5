"""`kycrail tenants create|list`, `kycrail keys create|list|revoke` and `kycrail migrate`, run in-process
on the test database."""

import re
from pathlib import Path

import pytest

from kycrail.cli import main
from kycrail.tenants import keys

KEY_LINE = re.compile(r"^kr_[A-Za-z0-9_-]{43}\n$")


@pytest.fixture(autouse=True)
def _use_test_database(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", database_url)


def _tenants(capsys: pytest.CaptureFixture[str], *names: str) -> None:
    for name in names:
        assert main(["tenants", "create", name]) == 0
        assert capsys.readouterr().out == f"created tenant {name}\n"


def _create(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    tenant = args[args.index("--tenant") + 1]
    if main(["tenants", "create", tenant]) not in (0, 1):  # 1: it exists already
        raise AssertionError("tenants create failed")
    capsys.readouterr()
    assert main(["keys", "create", *args]) == 0
    out = capsys.readouterr().out
    assert KEY_LINE.fullmatch(out), "the key alone on stdout"
    return out.strip()


def test_create_prints_the_key_alone_and_it_is_listed(capsys: pytest.CaptureFixture[str]) -> None:
    key = _create(capsys, "--tenant", "acme")
    reviewer = _create(capsys, "--tenant", "acme", "--role", "reviewer")
    other = _create(capsys, "--tenant", "globex")
    assert main(["keys", "list"]) == 0
    listing = capsys.readouterr().out
    lines = listing.splitlines()
    assert lines[0].split() == ["PREFIX", "TENANT", "ROLE", "CREATED", "REVOKED"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows[key[:12]][1:3] == ["acme", "api"]
    assert rows[reviewer[:12]][1:3] == ["acme", "reviewer"]
    assert rows[other[:12]][1:3] == ["globex", "api"]
    assert all(row[4] == "-" for row in rows.values())
    for secret in (key, reviewer, other):
        assert secret[12:] not in listing  # only the prefix is ever shown


def test_revoke_by_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    key = _create(capsys, "--tenant", "acme")
    assert main(["keys", "revoke", key[:12]]) == 0
    assert capsys.readouterr().out == f"revoked {key[:12]}\n"
    main(["keys", "list"])
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith(key[:12]))
    assert row.split()[4] != "-"
    # A second revoke, or an unknown prefix, fails with exit code 1.
    assert main(["keys", "revoke", key[:12]]) == 1
    assert "no active key" in capsys.readouterr().err
    assert main(["keys", "revoke", "kr_nosuchkey"]) == 1


def test_revoke_with_the_whole_key_names_its_prefix_and_never_echoes_the_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = _create(capsys, "--tenant", "acme")
    assert main(["keys", "revoke", key]) == 2
    captured = capsys.readouterr()
    assert key not in captured.err + captured.out
    assert f"kycrail keys revoke {key[:12]}" in captured.err  # what to type instead
    main(["keys", "list"])
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith(key[:12]))
    assert row.split()[4] == "-"  # not revoked


@pytest.mark.parametrize("name", ["", "-leading-dash", "has space", "x" * 101, "semi;colon"])
def test_create_refuses_a_bad_tenant_name(capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert main(["keys", "create", f"--tenant={name}"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "invalid --tenant" in captured.err


def test_a_key_for_an_unknown_tenant_is_refused_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    _tenants(capsys, "sandbox")
    assert main(["keys", "create", "--tenant", "sandbx"]) == 1  # a typo creates nothing
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no tenant named 'sandbx'" in captured.err
    assert "kycrail tenants create sandbx" in captured.err
    assert main(["tenants", "list"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert names == ["sandbox"]


def test_tenants_are_created_once_and_listed(capsys: pytest.CaptureFixture[str]) -> None:
    _tenants(capsys, "acme", "globex")
    assert main(["tenants", "create", "acme"]) == 1
    assert "tenant acme exists" in capsys.readouterr().err
    assert main(["tenants", "create", "has space"]) == 2
    assert "tenant names are" in capsys.readouterr().err
    assert main(["tenants", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["NAME", "ID", "CREATED", "KEYS"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) == {"acme", "globex"}
    assert all(row[1].startswith("tenant_") and row[3] == "0" for row in rows.values())
    _create(capsys, "--tenant", "acme")
    main(["tenants", "list"])
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[1:]}
    assert rows["acme"][3] == "1"  # active keys


def test_create_refuses_an_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["keys", "create", "--tenant", "acme", "--role", "root"])
    assert exited.value.code == 2


def test_a_bad_setting_stops_the_command_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", "oracle://scott@tiger/db")
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("kycrail: invalid setting KYCRAIL_DATABASE_URL")


@pytest.mark.sqlite_only
def test_the_key_is_stored_only_as_a_hash(capsys: pytest.CaptureFixture[str], database_url: str) -> None:
    key = _create(capsys, "--tenant", "acme")
    raw = b"".join(
        path.read_bytes() for path in Path(database_url.removeprefix("sqlite:///")).parent.glob("*.db*")
    )
    assert key.encode() not in raw
    assert key[12:].encode() not in raw
    assert keys.hash_key(key).encode() in raw


@pytest.mark.sqlite_only
def test_migrate_creates_the_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "new" / "kycrail.db"
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", f"sqlite:///{target}")
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out.startswith("applied ")
    assert target.exists()
