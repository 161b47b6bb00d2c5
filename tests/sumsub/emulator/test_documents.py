"""ID documents: a multipart upload (metadata + image) answered with the document and X-Image-Id,
filed in the applicant's step and info."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from tests.api.documents import jpeg, png
from tests.sumsub.emulator.calls import (
    NO_IMAGE,
    add_id_doc,
    assert_sumsub_error,
    call,
    create_applicant,
    multipart,
)


async def test_an_upload_answers_the_document_and_the_image_id(http: httpx.AsyncClient) -> None:
    applicant = await create_applicant(http)
    metadata = {"idDocType": "PASSPORT", "country": "USA", "number": "X123", "dob": "1990-01-02"}
    response = await add_id_doc(http, applicant["id"], metadata)
    assert response.status_code == 200
    assert response.json() == metadata
    image_id = int(response.headers["X-Image-Id"])
    steps = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus")).json()
    assert steps["SELFIE"] is None
    assert steps["IDENTITY"] == {
        "country": "USA",
        "idDocType": "PASSPORT",
        "imageIds": [image_id],
        "imageReviewResults": {},
        "forbidden": False,
    }
    one = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/one")).json()
    assert one["info"]["idDocs"] == [metadata]


async def test_a_second_image_of_the_same_document_joins_the_first(http: httpx.AsyncClient) -> None:
    applicant = await create_applicant(http)
    front = await add_id_doc(http, applicant["id"], {"idDocType": "ID_CARD", "country": "DEU"})
    back = await add_id_doc(
        http, applicant["id"], {"idDocType": "ID_CARD", "country": "DEU", "idDocSubType": "BACK_SIDE"}
    )
    steps = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus")).json()
    assert steps["IDENTITY"]["imageIds"] == [
        int(front.headers["X-Image-Id"]),
        int(back.headers["X-Image-Id"]),
    ]
    one = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/one")).json()
    assert one["info"]["idDocs"] == [{"idDocType": "ID_CARD", "country": "DEU", "idDocSubType": "BACK_SIDE"}]


async def test_metadata_alone_is_a_document_without_an_image(http: httpx.AsyncClient) -> None:
    applicant = await create_applicant(http)
    response = await add_id_doc(
        http, applicant["id"], {"idDocType": "SELFIE", "country": "USA"}, image=NO_IMAGE
    )
    assert response.status_code == 200
    assert "X-Image-Id" not in response.headers
    steps = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus")).json()
    assert steps["SELFIE"]["imageIds"] == []


async def test_an_image_sent_without_a_filename_is_kept_as_bytes(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    # SumSub's Node SDK sends the image as a plain part; its bytes are not text.
    applicant = await create_applicant(http)
    response = await add_id_doc(
        http, applicant["id"], {"idDocType": "PASSPORT", "country": "USA"}, png(256), filename=None
    )
    assert response.status_code == 200
    assert response.headers["X-Image-Id"].isdigit()


async def test_a_document_the_level_does_not_ask_for_completes_no_step(http: httpx.AsyncClient) -> None:
    applicant = await create_applicant(http)
    response = await add_id_doc(http, applicant["id"], {"idDocType": "UTILITY_BILL", "country": "USA"})
    assert response.status_code == 200
    steps = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus")).json()
    assert steps == {"IDENTITY": None, "SELFIE": None}


async def test_uploads_by_external_user_id_and_to_unknown_applicants(http: httpx.AsyncClient) -> None:
    await create_applicant(http, "by-ref")
    by_ref = await add_id_doc(http, "-;externalUserId=by-ref", {"idDocType": "PASSPORT", "country": "USA"})
    assert by_ref.status_code == 200
    assert_sumsub_error(await add_id_doc(http, "f" * 24, {"idDocType": "PASSPORT", "country": "USA"}), 404)


@pytest.mark.parametrize(
    "metadata",
    [
        {"country": "USA"},
        {"idDocType": "PASSPORT"},
        {"idDocType": "PASSPORT", "country": "us"},
        {"idDocType": "passport", "country": "USA"},
        {"idDocType": "<script>", "country": "USA"},
        {"idDocType": "PASSPORT", "country": "USA", "dob": "yesterday"},
        {"idDocType": "PASSPORT", "country": "USA", "idDocSubType": "MIDDLE"},
        {"idDocType": "PASSPORT", "country": "USA", "number": 12345},
        ["PASSPORT"],
    ],
)
async def test_bad_metadata_is_refused(http: httpx.AsyncClient, metadata: Any) -> None:
    applicant = await create_applicant(http)
    assert_sumsub_error(await add_id_doc(http, applicant["id"], metadata), 400)


async def test_bad_multipart_bodies_are_refused(http: httpx.AsyncClient) -> None:
    applicant = await create_applicant(http)
    target = f"/resources/applicants/{applicant['id']}/info/idDoc"
    metadata = json.dumps({"idDocType": "PASSPORT", "country": "USA"}).encode()
    body, content_type = multipart(("metadata", metadata, None))
    cases = [
        (body, "application/json"),  # not multipart
        (body, "multipart/form-data"),  # no boundary
        (b"garbage", content_type),
        (multipart(("content", b"image", "a.png"))[0], content_type),  # no metadata
        (multipart(("metadata", b"{not json", None))[0], content_type),
        (multipart(*[(f"f{i}", b"x", None) for i in range(20)])[0], content_type),  # too many parts
    ]
    for sent, sent_type in cases:
        assert_sumsub_error(await call(http, "POST", target, sent, content_type=sent_type), 400)


async def test_an_oversized_body_is_413_before_anything_else(http: httpx.AsyncClient) -> None:
    response = await call(
        http, "POST", "/resources/applicants?levelName=basic-kyc-level", b"x" * (26 * 2**20)
    )
    assert_sumsub_error(response, 413)


PASSPORT = {"idDocType": "PASSPORT", "country": "USA"}


@pytest.mark.parametrize(
    ("image", "status", "code", "name"),
    [
        (b"", 400, 1003, "empty-file"),
        (b"just text, named like an image", 400, 1005, "unsupported-file-format"),
        (jpeg()[: len(jpeg()) // 2], 400, 1004, "corrupted-file"),
    ],
    ids=["empty", "not-an-image", "cut-off"],
)
async def test_an_upload_sumsub_cannot_take_is_refused_with_its_error_code(
    http: httpx.AsyncClient, image: bytes, status: int, code: int, name: str
) -> None:
    applicant = await create_applicant(http)
    response = await add_id_doc(http, applicant["id"], PASSPORT, image)
    assert_sumsub_error(response, status, code)
    assert response.json()["errorName"] == name
    steps = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus")).json()
    assert steps["IDENTITY"] is None  # nothing filed


async def test_the_same_file_twice_is_1000_and_an_upload_during_the_check_is_1006(
    http: httpx.AsyncClient,
) -> None:
    applicant = await create_applicant(http)
    assert (await add_id_doc(http, applicant["id"], PASSPORT, png(1))).status_code == 200
    twice = await add_id_doc(http, applicant["id"], {"idDocType": "SELFIE", "country": "USA"}, png(1))
    assert_sumsub_error(twice, 409, 1000)
    assert twice.json()["errorName"] == "duplicate-document"
    await call(http, "POST", f"/resources/applicants/{applicant['id']}/status/pending")
    checking = await add_id_doc(http, applicant["id"], {"idDocType": "SELFIE", "country": "USA"}, png(2))
    assert_sumsub_error(checking, 409, 1006)
    assert checking.json()["errorName"] == "no-upload-verification-in-progress"
    status = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/status")).json()
    assert status["reviewStatus"] == "pending"
    assert isinstance(status["elapsedSincePendingMs"], int)
    assert status["elapsedSincePendingMs"] >= 0


async def test_the_images_are_listed_and_served_by_inspection_and_by_applicant(
    http: httpx.AsyncClient,
) -> None:
    applicant = await create_applicant(http)
    front = await add_id_doc(http, applicant["id"], PASSPORT, jpeg(3), filename="front.jpg")
    selfie = await add_id_doc(http, applicant["id"], {"idDocType": "SELFIE", "country": "USA"}, png(4))
    listed = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/metadata/resources")).json()
    assert listed["totalItems"] == 2
    first = listed["items"][0]
    assert first["id"] == front.headers["X-Image-Id"]
    assert first["fileMetadata"] == {
        "fileName": "front.jpg",
        "fileType": "image/jpeg",
        "fileSize": len(jpeg(3)),
    }
    assert first["idDocDef"] == {"country": "USA", "idDocType": "PASSPORT", "idDocSubType": None}
    assert (first["deactivated"], first["source"]) == (False, "fileupload")
    inspection = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/one")).json()[
        "inspectionId"
    ]
    image = await call(http, "GET", f"/resources/inspections/{inspection}/resources/{first['id']}")
    assert (image.status_code, image.content, image.headers["content-type"]) == (200, jpeg(3), "image/jpeg")
    by_applicant = await call(
        http, "GET", f"/resources/applicants/{applicant['id']}/resources/{selfie.headers['X-Image-Id']}"
    )
    assert by_applicant.content == png(4)
    assert_sumsub_error(await call(http, "GET", f"/resources/inspections/{inspection}/resources/1"), 404)
    # A reset deactivates the images: the same file may then be sent again.
    await call(http, "POST", f"/resources/applicants/{applicant['id']}/reset")
    listed = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/metadata/resources")).json()
    assert [item["deactivated"] for item in listed["items"]] == [True, True]
    assert (await add_id_doc(http, applicant["id"], PASSPORT, jpeg(3))).status_code == 200


async def test_a_donors_images_come_with_a_share_token_import(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    token = emulator.mint_share_token("sandbox-approved")
    imported = (await call(http, "POST", f"/resources/applicants/-/import?shareToken={token}")).json()
    listed = (await call(http, "GET", f"/resources/applicants/{imported['id']}/metadata/resources")).json()
    assert sorted(item["idDocDef"]["idDocType"] for item in listed["items"]) == ["PASSPORT", "SELFIE"]
    donor = emulator.applicant_id_for("sandbox-approved")
    await call(http, "POST", f"/resources/applicants/{imported['id']}/reset")  # the copy's, not the donor's
    assert not any(image.deactivated for image in emulator.images[donor])


async def test_moderation_states_say_why_a_rejected_applicant_was_rejected(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    applicant = await create_applicant(http)
    uploaded = await add_id_doc(http, applicant["id"], PASSPORT, png(41))
    path = f"/resources/moderationStates/-;applicantId={applicant['id']}"
    assert (await call(http, "GET", path)).json() == {"list": {"items": [], "totalItems": 0}}  # not rejected
    await call(http, "POST", f"/resources/applicants/{applicant['id']}/status/pending")
    verdict = {"reviewAnswer": "RED", "reviewRejectType": "FINAL", "rejectLabels": ["FORGERY"]}
    emulator.complete(applicant["id"], verdict)
    (state,) = (await call(http, "GET", path)).json()["list"]["items"]
    assert state["applicantState"] == {"FORGERY": {"value": True}}
    assert state["imagesStates"] == {uploaded.headers["X-Image-Id"]: {"state": {"FORGERY": {"value": True}}}}
    assert_sumsub_error(await call(http, "GET", "/resources/moderationStates/-;applicantId=" + "f" * 24), 404)
    assert_sumsub_error(await call(http, "GET", f"/resources/moderationStates/{applicant['id']}"), 400)
