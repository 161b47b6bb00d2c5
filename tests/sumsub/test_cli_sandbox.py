"""`kycrail sandbox sumsub`: its webhook flags, run in-process with uvicorn.run stubbed out; and
`kycrail sandbox share-token`, against an emulator served over HTTP."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from kycrail import cli
from kycrail.cli import main
from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.emulator.donors import seeded_donors
from kycrail.sumsub.sandbox import SANDBOX_CLIENT_ID
from tests.processes import free_port
from tests.sumsub.serving import serving


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.setenv("KYCRAIL_SUMSUB_APP_TOKEN", "sbx:cli-token")
    monkeypatch.setenv("KYCRAIL_SUMSUB_SECRET_KEY", "cli-secret")
    monkeypatch.delenv("KYCRAIL_SUMSUB_WEBHOOK_SECRET", raising=False)
    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: apps.append(app))
    # main() sets up logging for a process; here it would quieten loggers other tests read.
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)
    return apps


def test_webhook_flags_configure_the_emulator(served: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    args = ["sandbox", "sumsub", "--webhook-url", "http://127.0.0.1:9999/hooks", "--webhook-secret", "s3cret"]
    assert main([*args, "--webhook-digest-alg", "HMAC_SHA512_HEX"]) == 0
    emulator = served[0]
    assert isinstance(emulator, Emulator)
    config = emulator.webhooks.config
    assert config is not None
    assert (config.url, config.secret, config.digest_alg) == (
        "http://127.0.0.1:9999/hooks",
        "s3cret",
        "HMAC_SHA512_HEX",
    )
    out = capsys.readouterr().out
    assert "Webhooks to http://127.0.0.1:9999/hooks (HMAC_SHA512_HEX)" in out
    assert "s3cret" not in out


def test_the_secret_may_come_from_the_environment(served: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYCRAIL_SUMSUB_WEBHOOK_SECRET", "from-env")
    assert main(["sandbox", "sumsub", "--webhook-url", "http://127.0.0.1:9999/hooks"]) == 0
    assert served[0].webhooks.config.secret == "from-env"
    assert served[0].webhooks.config.digest_alg == "HMAC_SHA256_HEX"


def test_without_a_url_no_webhooks_are_sent(served: list[Any]) -> None:
    assert main(["sandbox", "sumsub"]) == 0
    assert served[0].webhooks.config is None
    assert served[0].levels.named("basic-kyc-level").applicant_type == "individual"


@pytest.mark.parametrize(
    "flags",
    [
        ["--webhook-url", "http://127.0.0.1:9999/hooks"],  # no secret
        ["--webhook-url", "ftp://127.0.0.1/hooks", "--webhook-secret", "s"],
    ],
)
def test_bad_webhook_flags_are_usage_errors(
    served: list[Any], capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    assert main(["sandbox", "sumsub", *flags]) == 2
    assert capsys.readouterr().err.startswith("kycrail: ")
    assert served == []


def test_an_unknown_digest_algorithm_is_refused_by_the_parser(served: list[Any]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(
            [
                "sandbox",
                "sumsub",
                "--webhook-url",
                "http://x/h",
                "--webhook-secret",
                "s",
                "--webhook-digest-alg",
                "MD5",
            ]
        )
    assert caught.value.code == 2


# --- kycrail sandbox share-token: against a running `kycrail sandbox sumsub` -------------------------------

APP_TOKEN = "sbx:cli-token"
SECRET = "cli-secret"


@pytest.fixture
def running_emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """An emulator served over HTTP as `kycrail sandbox sumsub` serves it, and its settings in the
    environment, as a client of it has them."""
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)
    emulator = Emulator(APP_TOKEN, SECRET, client_id=SANDBOX_CLIENT_ID)
    with serving(emulator) as url:
        monkeypatch.setenv("KYCRAIL_SUMSUB_BASE_URL", url)
        monkeypatch.setenv("KYCRAIL_SUMSUB_APP_TOKEN", APP_TOKEN)
        monkeypatch.setenv("KYCRAIL_SUMSUB_SECRET_KEY", SECRET)
        yield emulator


def _mint(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["sandbox", "share-token", *args]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"_act-\S+\n", out), "the token alone"
    return out.strip()


def test_share_token_mints_a_token_the_emulator_imports(
    running_emulator: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    token = _mint(capsys, "--applicant", "approved")
    imported = running_emulator.import_by_reuse(token, "basic-kyc-level")
    assert (imported["info"]["firstName"], imported["review"]["reviewResult"]["reviewAnswer"]) == (
        "Emily",
        "GREEN",
    )
    final = running_emulator.import_by_copy(_mint(capsys, "--applicant", "rejected-final", "--ttl", "60"))
    assert final["review"]["reviewResult"]["reviewRejectType"] == "FINAL"


def test_share_token_lists_the_donors_in_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["sandbox", "share-token", "--help"])
    assert exited.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    for applicant, _ in seeded_donors():
        assert applicant["externalUserId"].removeprefix("sandbox-") in help_text
    with pytest.raises(SystemExit) as exited:
        main(["sandbox", "share-token", "--applicant", "approved-ish"])
    assert exited.value.code == 2


def test_share_token_without_the_emulator_is_one_line(
    running_emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("KYCRAIL_SUMSUB_BASE_URL", nowhere)
    assert main(["sandbox", "share-token", "--applicant", "approved"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        f"kycrail: no SumSub emulator answered at {nowhere} (KYCRAIL_SUMSUB_BASE_URL): start one with "
        "`kycrail sandbox sumsub`" in captured.err.splitlines()
    )


def test_share_token_with_other_credentials_than_the_emulators_is_refused(
    running_emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KYCRAIL_SUMSUB_SECRET_KEY", "another-secret")
    assert main(["sandbox", "share-token", "--applicant", "approved"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    url = os.environ["KYCRAIL_SUMSUB_BASE_URL"]
    assert (
        f"kycrail: the SumSub emulator at {url} refused our signature: give it and this command the same "
        "KYCRAIL_SUMSUB_APP_TOKEN and KYCRAIL_SUMSUB_SECRET_KEY" in captured.err.splitlines()
    )


@pytest.mark.parametrize(
    ("unset", "says"),
    [
        ("KYCRAIL_SUMSUB_SECRET_KEY", "kycrail: set KYCRAIL_SUMSUB_APP_TOKEN and KYCRAIL_SUMSUB_SECRET_KEY"),
        ("KYCRAIL_SUMSUB_BASE_URL", "kycrail: set KYCRAIL_SUMSUB_BASE_URL to the emulator's URL"),
    ],
)
def test_share_token_needs_the_emulators_url_and_credentials(
    running_emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    unset: str,
    says: str,
) -> None:
    monkeypatch.delenv(unset)
    assert main(["sandbox", "share-token", "--applicant", "approved"]) == 2
    assert capsys.readouterr().err.startswith(says)
