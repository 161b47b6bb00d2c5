"""SumSub's API as an integrator's Node backend sees it: the emulator served over real HTTP (uvicorn
on 127.0.0.1), driven by the `sumsub-node-sdk` npm package through tests/sumsub/node/drive.mjs,
across every endpoint the emulator offers a client, with webhooks to a real receiver.

The package is installed at run time into pytest's cache folder (nothing of it is committed: no
lockfile, no node_modules); the test skips only where `node` or `npm` is missing.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kycrail.sumsub.emulator import Emulator, WebhookConfig
from tests.api.receiver import receiver
from tests.sumsub.serving import serving, verified_events
from tests.waiting import eventually_sync

SDK = "sumsub-node-sdk"
SDK_VERSION = "2.0.0"  # the version drive.mjs was written against
DRIVER = Path(__file__).parent / "node" / "drive.mjs"
APP_TOKEN = "sbx:node-test-token"
SECRET = "node-test-secret"
WEBHOOK_SECRET = "node-webhook-secret"
# drive.mjs's upload: a 1x1 PNG.
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def sdk_dir(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run SumSub's Node SDK")
    cache = getattr(pytestconfig, "cache", None)  # None under `-p no:cacheprovider`: install afresh
    folder = cache.mkdir(SDK) if cache is not None else tmp_path_factory.mktemp(SDK)
    manifest = folder / "node_modules" / SDK / "package.json"
    if not manifest.exists() or json.loads(manifest.read_text())["version"] != SDK_VERSION:
        subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(folder),
                f"{SDK}@{SDK_VERSION}",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return folder


def drive(sdk_dir: Path, base_url: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "SUMSUB_BASE_URL": base_url,
        "SUMSUB_APP_TOKEN": APP_TOKEN,
        "SUMSUB_SECRET_KEY": SECRET,
        "SUMSUB_SDK_DIR": str(sdk_dir),
    }
    done = subprocess.run(["node", str(DRIVER)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def test_sumsubs_node_sdk_drives_every_endpoint(sdk_dir: Path) -> None:
    with receiver() as hooks:
        emulator = Emulator(APP_TOKEN, SECRET, webhooks=WebhookConfig(hooks.url, WEBHOOK_SECRET))
        with serving(emulator) as base_url:
            answer = drive(sdk_dir, base_url)
            eventually_sync(
                lambda: len(hooks.requests) >= 7,
                10,
                describe=lambda: [received.body for received in hooks.requests],
            )
    results, user_id, applicant_id = answer["results"], answer["userId"], answer["applicantId"]
    statuses = {name: result["status"] for name, result in results.items()}
    assert statuses == {
        "status": 200,
        "levels": 200,
        "create": 201,
        "createDuplicate": 409,
        "accessTokenLegacy": 200,
        "accessTokenSdk": 200,
        "websdkLink": 200,
        "idDoc": 200,
        "fixedInfo": 200,
        "pending": 200,
        "statusPending": 200,
        "testCompleted": 200,
        "one": 200,
        "byExternalUserId": 200,
        "requiredIdDocsStatus": 200,
        "resetStep": 200,
        "stepsResetStep": 200,
        "statusResetStep": 200,
        "reset": 200,
        "statusReset": 200,
        "moveToLevel": 200,
        "moveToUnknownLevel": 404,
        "idDocAgain": 200,
        "pendingAgain": 200,
        "moveWhilePending": 400,
        "moderationWhilePending": 200,
        "testRejected": 200,
        "moderationStates": 200,
        "imageResources": 200,
        "oneAgain": 200,
        "documentImage": 200,
        "unknownApplicant": 404,
    }
    data = {name: result["data"] for name, result in results.items()}
    assert {item["name"] for item in data["levels"]["list"]["items"]} == {
        "basic-kyc-level",
        "basic-kyb-level",
        "address-kyc-level",
    }
    assert re.fullmatch(r"[0-9a-f]{24}", applicant_id)
    assert data["create"]["review"]["reviewStatus"] == "init"
    assert applicant_id in data["createDuplicate"]["description"]
    for form in ("accessTokenLegacy", "accessTokenSdk"):
        assert data[form]["userId"] == user_id
        assert data[form]["token"].startswith("_act-sbx-")
    assert data["websdkLink"]["url"].startswith(f"{base_url}/websdk/p/")
    assert user_id not in data["websdkLink"]["url"]
    assert data["idDoc"]["data"] == {"idDocType": "PASSPORT", "country": "GBR", "number": "N123"}
    assert data["idDoc"]["imageId"].isdigit()  # the SDK reads the X-Image-Id header
    assert data["fixedInfo"] == {
        "firstName": "Ada",
        "lastName": "Lovelace",
        "dob": "1815-12-10",
        "country": "GBR",
    }
    assert (data["statusPending"]["reviewStatus"], data["statusPending"]["attemptCnt"]) == ("pending", 1)
    assert data["statusPending"]["elapsedSincePendingMs"] >= 0  # how long it has waited for the check
    one = data["one"]
    assert one == data["byExternalUserId"]
    assert one["review"]["reviewResult"] == {
        "reviewAnswer": "GREEN",
        "moderationComment": "Welcome",
        "clientComment": "Checked by the node test",
    }
    assert one["email"] == "node@example.com"
    identity = data["requiredIdDocsStatus"]["IDENTITY"]
    assert identity["imageIds"] == [int(data["idDoc"]["imageId"])]
    assert identity["reviewResult"]["reviewAnswer"] == "GREEN"
    # resetStep (the SDK's resetApplicantStep): that step opened again, the review back to init.
    assert data["resetStep"] == {"ok": 1}
    assert data["stepsResetStep"] == {"IDENTITY": None, "SELFIE": None}
    assert data["statusResetStep"]["reviewStatus"] == "init"
    assert "reviewResult" not in data["statusResetStep"]
    assert data["statusReset"]["reviewStatus"] == "init"
    assert data["unknownApplicant"]["code"] == 404
    # moveToLevel (the SDK's changeApplicantLevel): the applicant, asked for the new level's documents.
    moved = data["moveToLevel"]
    assert moved["review"]["levelName"] == "address-kyc-level"
    assert [s["idDocSetType"] for s in moved["requiredIdDocs"]["docSets"]][-1] == "PROOF_OF_RESIDENCE"
    assert "no-such-level" in data["moveToUnknownLevel"]["description"]
    assert "being reviewed" in data["moveWhilePending"]["description"]  # refused while pending
    # moderationStates: nothing while pending; once rejected, the labels, of the applicant and the image.
    assert data["moderationWhilePending"] == {"list": {"items": [], "totalItems": 0}}
    (state,) = data["moderationStates"]["list"]["items"]
    assert state["applicantId"] == applicant_id
    assert state["applicantState"] == {"UNSATISFACTORY_PHOTOS": {"value": True}}
    assert state["imagesStates"] == {
        data["idDocAgain"]["imageId"]: {"state": {"UNSATISFACTORY_PHOTOS": {"value": True}}}
    }
    # The image as uploaded, by the applicant's inspection (the SDK's getDocumentImage).
    image = data["documentImage"]
    assert image["contentType"] == "image/png"
    assert base64.b64decode(image["base64"]) == PNG_1X1

    events = verified_events(hooks.requests, WEBHOOK_SECRET)
    assert [event["type"] for event in events] == [
        "applicantCreated",
        "applicantPersonalInfoChanged",  # the SDK's patchApplicantFixedInfo
        "applicantPending",
        "applicantReviewed",
        "applicantReset",
        "applicantPending",
        "applicantReviewed",
    ]
    assert {event["applicantId"] for event in events} == {applicant_id}
