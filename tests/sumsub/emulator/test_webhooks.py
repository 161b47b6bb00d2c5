"""Webhooks out: SumSub's payload (no personal data), the digest, one event per state change, sent in
the background to a real receiver on 127.0.0.1, in order, and retried when it fails."""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response

from kycrail.sumsub.emulator import Emulator, WebhookConfig, webhooks
from tests.api.receiver import receiver
from tests.sumsub.conftest import APP_TOKEN, SECRET, FakeClock
from tests.sumsub.emulator.calls import add_id_doc, call, create_applicant
from tests.waiting import eventually

WEBHOOK_SECRET = "webhook-secret"
PAYLOAD_KEYS = {
    "type",
    "applicantId",
    "inspectionId",
    "correlationId",
    "levelName",
    "externalUserId",
    "reviewStatus",
    "createdAtMs",
    "sandboxMode",
    "applicantType",
    "clientId",
}


@pytest.fixture
async def closing(emulator: Emulator) -> AsyncIterator[Emulator]:
    yield emulator
    await emulator.webhooks.aclose()


async def walk_through(http: httpx.AsyncClient, emulator: Emulator) -> str:
    """Create, submit, hold, review, reset: one of each event."""
    applicant = await create_applicant(
        http, "person-1", email="ann@example.com", fixedInfo={"firstName": "Ann", "dob": "1990-01-02"}
    )
    ref = applicant["id"]
    await add_id_doc(http, ref, {"idDocType": "PASSPORT", "country": "USA", "number": "P1234"})
    assert (await call(http, "POST", f"/resources/applicants/{ref}/status/pending")).status_code == 200
    assert (await call(http, "POST", f"/_sandbox/applicants/{ref}/onHold")).status_code == 200
    verdict = json.dumps({"reviewAnswer": "RED", "rejectLabels": ["SPAM"], "reviewRejectType": "RETRY"})
    target = f"/resources/applicants/{ref}/status/testCompleted"
    assert (await call(http, "POST", target, verdict.encode())).status_code == 200
    assert (await call(http, "POST", f"/resources/applicants/{ref}/reset")).status_code == 200
    return ref


EVENTS = ["applicantCreated", "applicantPending", "applicantOnHold", "applicantReviewed", "applicantReset"]


async def test_each_state_change_emits_sumsubs_payload(
    http: httpx.AsyncClient, emulator: Emulator, clock: FakeClock
) -> None:
    clock.now += 0.25
    applicant_id = await walk_through(http, emulator)
    emitted = emulator.webhooks.emitted
    assert [event["type"] for event in emitted] == EVENTS
    for event in emitted:
        assert set(event) - {"reviewResult"} == PAYLOAD_KEYS
        assert event["applicantId"] == applicant_id
        assert (event["externalUserId"], event["levelName"]) == ("person-1", "basic-kyc-level")
        assert (event["sandboxMode"], event["applicantType"]) == (True, "individual")
        assert event["clientId"] == emulator.client_id
        assert event["createdAtMs"] == "2025-10-09 08:53:20.250"
        assert event["correlationId"].startswith("req-")
        for personal in ("ann@example.com", "Ann", "1990-01-02", "P1234"):
            assert personal not in json.dumps(event)
    statuses = [(event["reviewStatus"], "reviewResult" in event) for event in emitted]
    assert statuses == [
        ("init", False),
        ("pending", False),
        ("onHold", False),
        ("completed", True),
        ("init", False),
    ]
    assert emitted[3]["reviewResult"] == {
        "reviewAnswer": "RED",
        "rejectLabels": ["SPAM"],
        "reviewRejectType": "RETRY",
    }
    assert len({event["correlationId"] for event in emitted}) == len(emitted)


async def test_refused_calls_emit_nothing(http: httpx.AsyncClient, emulator: Emulator) -> None:
    applicant = await create_applicant(http)
    await call(http, "POST", f"/resources/applicants/{applicant['id']}/status/pending")
    await call(http, "POST", f"/resources/applicants/{applicant['id']}/status/pending")  # already pending
    await call(http, "POST", f"/resources/applicants/{applicant['id']}/reset")  # under review
    await call(http, "POST", f"/resources/applicants/{applicant['id']}/status/testCompleted", b"{}")
    assert [event["type"] for event in emulator.webhooks.emitted] == ["applicantCreated", "applicantPending"]


@pytest.mark.parametrize(
    ("alg", "name"), [("HMAC_SHA256_HEX", "sha256"), ("HMAC_SHA512_HEX", "sha512"), ("HMAC_SHA1_HEX", "sha1")]
)
def test_the_digest_is_the_hex_hmac_of_the_raw_body(alg: str, name: str) -> None:
    body = b'{"type": "applicantCreated"}'
    assert webhooks.digest("s3cret", body, alg) == hmac.new(b"s3cret", body, name).hexdigest()


@pytest.mark.parametrize(
    "config",
    [("ftp://x", "s", "HMAC_SHA256_HEX"), ("http://x", "", "HMAC_SHA256_HEX"), ("http://x", "s", "MD5")],
)
def test_a_bad_configuration_is_refused(config: tuple[str, str, str]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (each message is the CLI's to print)
        WebhookConfig(*config)


def verify(received: Any, alg: str = "HMAC_SHA256_HEX") -> dict[str, Any]:
    assert received.headers["x-payload-digest-alg"] == alg
    assert received.headers["content-type"] == "application/json"
    assert received.headers["x-payload-digest"] == webhooks.digest(WEBHOOK_SECRET, received.body, alg)
    event: dict[str, Any] = json.loads(received.body)
    return event


async def test_a_real_receiver_gets_every_event_signed_and_in_order(
    http: httpx.AsyncClient, closing: Emulator
) -> None:
    with receiver() as hooks:
        closing.webhooks.configure(url=hooks.url, secret=WEBHOOK_SECRET)
        applicant_id = await walk_through(http, closing)
        await eventually(lambda: len(hooks.requests) == len(EVENTS))
    events = [verify(received) for received in hooks.requests]
    assert [event["type"] for event in events] == EVENTS
    assert {event["applicantId"] for event in events} == {applicant_id}
    assert events == closing.webhooks.emitted


@pytest.mark.parametrize("alg", ["HMAC_SHA512_HEX", "HMAC_SHA1_HEX"])
async def test_the_digest_algorithm_is_selectable(
    http: httpx.AsyncClient, clock: FakeClock, alg: str
) -> None:
    with receiver() as hooks:
        emulator = Emulator(
            APP_TOKEN, SECRET, clock=clock, webhooks=WebhookConfig(hooks.url, WEBHOOK_SECRET, alg)
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=emulator), base_url="http://sumsub.test"
        ) as c:
            await create_applicant(c)
            await eventually(lambda: len(hooks.requests) == 1)
        await emulator.webhooks.aclose()
    assert verify(hooks.requests[0], alg)["type"] == "applicantCreated"


async def test_sending_never_holds_up_the_answer(
    http: httpx.AsyncClient, closing: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 60.0)  # a send held up with the answer: for a minute
    with receiver(hold=True) as hooks:
        closing.webhooks.configure(url=hooks.url, secret=WEBHOOK_SECRET)
        await asyncio.wait_for(create_applicant(http), 10)  # answered...
        await eventually(lambda: hooks.arrived == 1)  # ...while its webhook waits at the receiver
        assert hooks.requests == []
        hooks.release()
        await eventually(lambda: len(hooks.requests) == 1)


async def test_a_failing_receiver_is_retried_until_it_takes_the_event(
    http: httpx.AsyncClient, closing: Emulator
) -> None:
    closing.knobs.webhook_delay_scale = 0.00001  # retries after 3 ms, 36 ms, 0.18 s, 0.65 s
    with receiver(fail_first=2) as hooks:
        closing.webhooks.configure(url=hooks.url, secret=WEBHOOK_SECRET)
        await create_applicant(http)
        await eventually(lambda: len(hooks.delivered) == 1)
    assert [received.status for received in hooks.requests] == [500, 500, 200]
    assert len({received.body for received in hooks.requests}) == 1  # the same event, byte for byte


async def test_retries_stop_after_four(
    http: httpx.AsyncClient, closing: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    closing.knobs.webhook_delay_scale = 0.000001
    with receiver(status=503) as hooks:
        closing.webhooks.configure(url=hooks.url, secret=WEBHOOK_SECRET)
        await create_applicant(http)
        await eventually(lambda: "was not accepted after" in caplog.text)  # the sender gave up
    assert len(hooks.requests) == 5


async def test_a_receiver_that_does_not_answer_in_time_is_retried(
    http: httpx.AsyncClient, closing: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.2)
    closing.knobs.webhook_delay_scale = 0.0001
    with receiver(hold=True) as hooks:
        closing.webhooks.configure(url=hooks.url, secret=WEBHOOK_SECRET)
        await create_applicant(http)
        await eventually(lambda: hooks.arrived >= 2)  # the first was given up on after 0.2 s: sent again


async def test_an_unreachable_receiver_is_retried(http: httpx.AsyncClient, closing: Emulator) -> None:
    closing.knobs.webhook_delay_scale = 0.000001
    attempts: list[float] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        attempts.append(time.monotonic())
        raise httpx.ConnectError("refused", request=request)

    closing.webhooks.configure(
        url="http://receiver.invalid/hooks", secret=WEBHOOK_SECRET, transport=httpx.MockTransport(refuse)
    )
    await create_applicant(http)
    await eventually(lambda: len(attempts) == 5)


async def test_an_in_process_app_can_take_them_through_a_transport(
    http: httpx.AsyncClient, closing: Emulator
) -> None:
    taken: list[tuple[str, bytes]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        taken.append((request.url.path, await request.body()))
        await Response(status_code=200)(scope, receive, send)

    closing.webhooks.configure(
        url="http://kycrail.invalid/webhooks/sumsub",
        secret=WEBHOOK_SECRET,
        transport=httpx.ASGITransport(app=app),
    )
    await create_applicant(http)
    await eventually(lambda: len(taken) == 1)
    assert taken[0][0] == "/webhooks/sumsub"
    assert json.loads(taken[0][1])["type"] == "applicantCreated"


def test_without_an_event_loop_an_event_is_kept_but_not_sent(emulator: Emulator) -> None:
    emulator.webhooks.configure(url="http://127.0.0.1:9/hooks", secret=WEBHOOK_SECRET)
    emulator.hold(emulator.applicant_id_for("sandbox-pending"))
    assert [event["type"] for event in emulator.webhooks.emitted] == ["applicantOnHold"]


def test_created_at_ms_has_milliseconds() -> None:
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}",
        webhooks.payload("applicantCreated", {"id": "a", "review": {}}, client_id="c", moment=1.5)[
            "createdAtMs"
        ],
    )
