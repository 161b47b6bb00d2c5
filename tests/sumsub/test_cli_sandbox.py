"""`kycrail sandbox sumsub`: its webhook flags, run in-process with uvicorn.run stubbed out."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn

from kycrail import cli
from kycrail.cli import main
from kycrail.sumsub.emulator import Emulator


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.setenv("KYCRAIL_SUMSUB_APP_TOKEN", "sbx:cli-token")
    monkeypatch.setenv("KYCRAIL_SUMSUB_SECRET_KEY", "cli-secret")
    monkeypatch.delenv("KYCRAIL_SUMSUB_WEBHOOK_SECRET", raising=False)
    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: apps.append(app))
    # main() sets up logging for a process; here it would quieten loggers other tests read.
    monkeypatch.setattr(cli, "configure_logging", lambda level: None)
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
