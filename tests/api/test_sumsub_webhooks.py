"""SumSub's webhooks in (issue 14, items 2 and 3): POST /webhooks/sumsub checks SumSub's digest, keeps
each notification once, reads the applicant from SumSub (the in-process emulator) and applies its
current state to the customer through the lifecycle; reconciliation heals a lost webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kycrail.applicants import service as applicants
from kycrail.applicants.tables import provider_notifications
from kycrail.config import Settings
from kycrail.storage import Storage
from tests.api.test_kyc_decisions import FINAL_REJECTION, pending_emily
from tests.factories import jane
from tests.screening.listed import load, person
from tests.settings import settings_for

SECRET = "sumsub-webhook-secret-for-tests"
EVERY = timedelta(minutes=15)
HASHES = {"HMAC_SHA1_HEX": hashlib.sha1, "HMAC_SHA256_HEX": hashlib.sha256, "HMAC_SHA512_HEX": hashlib.sha512}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url, sandbox=True, sumsub_webhook_secret=SECRET)


@pytest.fixture(autouse=True)
def webhooks_by_hand(app: FastAPI) -> None:
    """These tests send SumSub's webhooks themselves, each when the test says (the emulator's own go
    out in the background: tests/test_kyc_lifecycle_e2e.py lets them)."""
    app.state.emulator.webhooks.config = None


def signed(
    payload: dict[str, Any], *, secret: str = SECRET, alg: str = "HMAC_SHA256_HEX"
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    return body, signature_headers(body, secret=secret, alg=alg)


def signature_headers(body: bytes, *, secret: str = SECRET, alg: str = "HMAC_SHA256_HEX") -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, HASHES[alg]).hexdigest()
    return {"X-Payload-Digest": digest, "X-Payload-Digest-Alg": alg, "Content-Type": "application/json"}


def notification(applicant: dict[str, Any], kind: str, at: str = "2026-12-01 10:00:00.000") -> dict[str, Any]:
    """As SumSub sends it: which applicant, no personal data."""
    return {
        "type": kind,
        "applicantId": applicant["id"],
        "inspectionId": applicant.get("inspectionId"),
        "correlationId": "req-" + kind + at,
        "levelName": applicant["review"]["levelName"],
        "externalUserId": applicant["externalUserId"],
        "reviewStatus": applicant["review"]["reviewStatus"],
        "createdAtMs": at,
        "sandboxMode": True,
        "applicantType": applicant["type"],
    }


async def post(client: httpx.AsyncClient, payload: dict[str, Any], **signing: str) -> httpx.Response:
    body, headers = signed(payload, **signing)
    return await client.post("/webhooks/sumsub", content=body, headers=headers)


async def linked(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> dict[str, Any]:
    """The customer's SumSub applicant, made by a verification link, with jane's documents on file
    and accepted by SumSub's checks (the emulator's state, as the WebSDK would leave it)."""
    assert (await client.post(f"/v2/customer/{customer_id}/kyc-link", headers=headers)).status_code == 200
    emulator = app.state.emulator
    applicant: dict[str, Any] = emulator.applicants[emulator.applicant_id_for(customer_id)]
    applicant["info"] = {"idDocs": [{"idDocType": "PASSPORT", "country": "USA", "number": "X123"}]}
    emulator.required_id_docs_status[applicant["id"]] = {
        "IDENTITY": {"idDocType": "PASSPORT", "reviewResult": {"reviewAnswer": "GREEN"}},
        "SELFIE": {"idDocType": "SELFIE", "reviewResult": {"reviewAnswer": "GREEN"}},
    }
    return applicant


async def decide(
    app: FastAPI,
    applicant: dict[str, Any],
    answer: str,
    labels: tuple[str, ...] = (),
    kind: str | None = None,
) -> None:
    await app.state.resources.sumsub.set_test_review(
        applicant["id"], answer=answer, reject_labels=labels, reject_type=kind
    )


async def status_of(client: httpx.AsyncClient, headers: dict[str, str], customer_id: str) -> str:
    body = (await client.get(f"/v2/customer/{customer_id}", headers=headers)).json()
    status: str = body["verificationProfiles"][0]["status"]
    return status


async def kinds(client: httpx.AsyncClient, headers: dict[str, str], customer_id: str) -> list[str]:
    events = (await client.get(f"/v2/customer/{customer_id}/events", headers=headers)).json()["events"]
    return [event["type"] for event in events]


async def kept(storage: Storage) -> int:
    async with storage.engine.connect() as connection:
        return int(
            (await connection.execute(select(func.count()).select_from(provider_notifications))).scalar_one()
        )


@pytest.mark.parametrize("alg", sorted(HASHES))
async def test_an_approval_reaches_the_customer_in_both_dialects(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any, alg: str
) -> None:
    customer = await create_customer()
    applicant = await linked(app, client, headers, customer["id"])
    await decide(app, applicant, "GREEN")
    answer = await post(client, notification(applicant, "applicantReviewed"), alg=alg)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"ok": True, "duplicate": False}
    assert await status_of(client, headers, customer["id"]) == "approved"
    v1 = (await client.get(f"/v1/customers/{customer['id']}", headers=headers)).json()
    assert v1["status"] == "approved"
    events = (await client.get(f"/v2/customer/{customer['id']}/events", headers=headers)).json()["events"]
    (update,) = [event for event in events if event["type"] == "customer.provider_updated"]
    assert update["actor"]["role"] == "provider"


async def test_sumsubs_approval_does_not_approve_a_customer_with_an_open_sanctions_hit(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    storage: Storage,
    create_customer: Any,
) -> None:
    await load(storage, person("90003", "SMITH, Jane", (1990, 5, 17)))
    customer = await create_customer()
    applicant = await linked(app, client, headers, customer["id"])
    await decide(app, applicant, "GREEN")
    answer = await post(client, notification(applicant, "applicantReviewed"))
    assert answer.status_code == 200, answer.text
    assert await status_of(client, headers, customer["id"]) == "pending"  # what SumSub verified, held back
    hits = (await client.get(f"/ops/customers/{customer['id']}/screening", headers=reviewer_headers)).json()
    assert [hit["status"] for hit in hits["hits"]] == ["open"]


async def test_a_bad_digest_is_refused_and_nothing_is_kept_or_applied(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any, storage: Storage
) -> None:
    customer = await create_customer()
    applicant = await linked(app, client, headers, customer["id"])
    await decide(app, applicant, "GREEN")
    payload = notification(applicant, "applicantReviewed")
    forged = await post(client, payload, secret="not-the-secret")
    assert (forged.status_code, forged.json()["code"]) == (401, "webhook/signature-invalid")
    body, good_headers = signed(payload)
    tampered = await client.post(
        "/webhooks/sumsub",
        content=body.replace(b"applicantReviewed", b"applicantPending"),
        headers=good_headers,
    )
    assert tampered.status_code == 401
    unknown_alg = await client.post(
        "/webhooks/sumsub", content=body, headers={**good_headers, "X-Payload-Digest-Alg": "HMAC_MD5_HEX"}
    )
    assert unknown_alg.status_code == 401
    unsigned = await client.post(
        "/webhooks/sumsub", content=body, headers={"Content-Type": "application/json"}
    )
    assert unsigned.status_code == 401
    assert await kept(storage) == 0
    assert await status_of(client, headers, customer["id"]) != "approved"


async def test_without_a_configured_secret_every_webhook_is_refused(
    database_url: str, create_customer: Any
) -> None:
    from kycrail.app import create_app

    app = create_app(settings_for(database_url, sandbox=True))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as client:
            answer = await post(client, {"type": "applicantReviewed", "applicantId": "a" * 24})
    assert answer.status_code == 401


DEEP = 10_000  # far past the JSON parser's recursion limit


def naming(kind: str = "applicantReviewed", applicant_id: str = "a1") -> bytes:
    return json.dumps({"type": kind, "applicantId": applicant_id}).encode()  # escaped as JSON allows


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(naming()[:-1] + b', "x": ' + b"[" * DEEP + b"]" * DEEP + b"}", id="nested deep"),
        pytest.param(b"[" * DEEP + b"]" * DEEP, id="nested deep, not an object"),
        pytest.param(naming(applicant_id="\ud800"), id="lone surrogate in applicantId"),
        pytest.param(naming(kind="applicantReviewed\ud800"), id="lone surrogate in type"),
        pytest.param(naming(kind="applicant\nReviewed"), id="LF in type"),
        pytest.param(naming(kind="applicantReviewed\x00"), id="NUL in type"),
        pytest.param(naming(applicant_id="a1\x00"), id="NUL"),
        pytest.param(naming(applicant_id="a1\x1b[2J"), id="ESC"),
        pytest.param(naming(applicant_id="a1\r\nb2"), id="CR LF"),
        pytest.param(naming(applicant_id="a1\x85"), id="NEL"),
        pytest.param(naming(applicant_id="a1\u2028"), id="line separator"),
        pytest.param(b"not json", id="not JSON"),
        pytest.param(b'{"applicantId": "a1"}', id="no type"),
    ],
)
async def test_a_signed_body_that_is_no_readable_notification_is_400_and_nothing_is_kept(
    client: httpx.AsyncClient, storage: Storage, body: bytes
) -> None:
    answer = await client.post("/webhooks/sumsub", content=body, headers=signature_headers(body))
    assert (answer.status_code, answer.json()["code"]) == (400, "request/malformed-body"), answer.text
    assert await kept(storage) == 0
    well_formed = await client.post("/webhooks/sumsub", content=naming(), headers=signature_headers(naming()))
    assert well_formed.json() == {"ok": True, "duplicate": False}  # signed the same way, and kept
    assert await kept(storage) == 1


async def test_a_duplicate_is_kept_once_and_applied_once(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any, storage: Storage
) -> None:
    customer = await create_customer()
    applicant = await linked(app, client, headers, customer["id"])
    await decide(app, applicant, "GREEN")
    payload = notification(applicant, "applicantReviewed")
    assert (await post(client, payload)).json() == {"ok": True, "duplicate": False}
    assert (await post(client, payload)).json() == {"ok": True, "duplicate": True}
    assert await kept(storage) == 1
    assert (await kinds(client, headers, customer["id"])).count("customer.provider_updated") == 1


async def test_a_late_pending_webhook_does_not_move_a_decided_customer_back(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    applicant = await linked(app, client, headers, customer["id"])
    await decide(app, applicant, "GREEN")
    assert (
        await post(client, notification(applicant, "applicantReviewed", "2026-12-01 10:05:00.000"))
    ).status_code == 200
    # The earlier applicantPending arrives last: the applicant is read as it is now, already decided.
    assert (
        await post(client, notification(applicant, "applicantPending", "2026-12-01 10:01:00.000"))
    ).status_code == 200
    assert await status_of(client, headers, customer["id"]) == "approved"
    assert (await kinds(client, headers, customer["id"])).count("customer.provider_updated") == 1


async def test_a_retry_sends_the_labelled_criteria_back_with_sumsubs_words(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    applicant = await linked(app, client, headers, customer["id"])
    applicant_steps = app.state.emulator.required_id_docs_status[applicant["id"]]
    applicant_steps["SELFIE"] = {"idDocType": "SELFIE", "reviewResult": {"reviewAnswer": "RED"}}
    await decide(app, applicant, "RED", ("SELFIE_MISMATCH",), "RETRY")
    assert (await post(client, notification(applicant, "applicantReviewed"))).status_code == 200
    body = (await client.get(f"/v2/customer/{customer['id']}", headers=headers)).json()
    profile = body["verificationProfiles"][0]
    assert profile["status"] == "incomplete"
    assert [error["name"] for error in profile["criteria"]["errors"]] == ["liveness_report_document"]
    assert "SELFIE_MISMATCH" in profile["criteria"]["errors"][0]["message"]


async def test_a_final_rejection_holds_whoever_made_it(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    create_customer: Any,
) -> None:
    # SumSub's own final rejection: a later GREEN from SumSub does not undo it.
    customer = await create_customer(jane(email="jane.final@example.com", phone="+14155550177"))
    applicant = await linked(app, client, headers, customer["id"])
    await decide(app, applicant, "RED", ("FORGERY",), "FINAL")
    assert (
        await post(client, notification(applicant, "applicantReviewed", "2026-12-01 10:00:00.000"))
    ).status_code == 200
    assert await status_of(client, headers, customer["id"]) == "rejected"
    await decide(app, applicant, "GREEN")
    assert (
        await post(client, notification(applicant, "applicantReviewed", "2026-12-01 11:00:00.000"))
    ).status_code == 200
    assert await status_of(client, headers, customer["id"]) == "rejected"

    # A reviewer's final rejection: SumSub's approval does not overturn it either.
    emily = await pending_emily(client, headers)
    hers = await linked(app, client, headers, emily)
    rejected = await client.post(
        f"/ops/customers/{emily}/review", json=FINAL_REJECTION, headers=reviewer_headers
    )
    assert rejected.status_code == 200, rejected.text
    await decide(app, hers, "GREEN")
    assert (await post(client, notification(hers, "applicantReviewed"))).status_code == 200
    assert await status_of(client, headers, emily) == "rejected"
    assert "customer.provider_updated" not in await kinds(client, headers, emily)


async def test_a_webhook_about_an_applicant_kycrail_does_not_follow_changes_nothing(
    client: httpx.AsyncClient, storage: Storage
) -> None:
    stranger = {
        "id": "f" * 24,
        "type": "individual",
        "externalUserId": "someone-else",
        "review": {"levelName": "x", "reviewStatus": "completed"},
    }
    answer = await post(client, notification(stranger, "applicantReviewed"))
    assert answer.status_code == 200
    assert await kept(storage) == 1


async def test_a_lost_webhook_is_healed_by_reconciliation(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any, storage: Storage
) -> None:
    customer = await create_customer()
    applicant = await linked(app, client, headers, customer["id"])
    await decide(app, applicant, "GREEN")  # SumSub's webhook never arrives
    assert await status_of(client, headers, customer["id"]) != "approved"
    provider = app.state.resources.kyc_provider
    assert await applicants.reconcile_due(storage, provider, every=EVERY) == 1
    assert await status_of(client, headers, customer["id"]) == "approved"
    # Decided: reconciliation reads it no more.
    assert await applicants.reconcile_due(storage, provider, every=timedelta(0)) == 0


async def test_sumsub_down_leaves_the_notification_to_the_worker(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any, storage: Storage
) -> None:
    customer = await create_customer()
    applicant = await linked(app, client, headers, customer["id"])
    await decide(app, applicant, "GREEN")
    app.state.emulator.knobs.fail_with_5xx = 10  # every read fails, retries included
    answer = await post(client, notification(applicant, "applicantReviewed"))
    assert answer.status_code == 200  # SumSub must not retry what kycrail kept
    app.state.emulator.knobs.fail_with_5xx = 0
    assert await status_of(client, headers, customer["id"]) != "approved"
    async with storage.engine.begin() as connection:  # its retry is due now
        await connection.execute(provider_notifications.update().values(next_attempt_at=func.now()))
    assert await applicants.process_due(storage, app.state.resources.kyc_provider, every=EVERY) == 1
    assert await status_of(client, headers, customer["id"]) == "approved"


async def test_a_failure_of_kycrails_own_is_answered_200_and_tried_again_later(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    create_customer: Any,
    storage: Storage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer = await create_customer()
    applicant = await linked(app, client, headers, customer["id"])
    await decide(app, applicant, "GREEN")

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug while applying")

    monkeypatch.setattr(applicants.customers, "apply_applicant", broken)
    answer = await post(client, notification(applicant, "applicantReviewed"))
    assert answer.status_code == 200, answer.text  # kept: SumSub need not send it again
    monkeypatch.undo()
    async with storage.engine.connect() as connection:
        row = (await connection.execute(select(provider_notifications))).one()
    assert (row.processed_at, row.attempts) == (None, 1)
    async with storage.engine.begin() as connection:
        await connection.execute(provider_notifications.update().values(next_attempt_at=func.now()))
    assert await applicants.process_due(storage, app.state.resources.kyc_provider, every=EVERY) == 1
    assert await status_of(client, headers, customer["id"]) == "approved"
