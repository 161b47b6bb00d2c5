"""ID documents: a multipart upload (metadata + image) answered with the document and X-Image-Id,
filed in the applicant's step and info."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from tests.sumsub.emulator.calls import add_id_doc, assert_sumsub_error, call, create_applicant, multipart


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
    response = await add_id_doc(http, applicant["id"], {"idDocType": "SELFIE", "country": "USA"}, image=None)
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
        http, applicant["id"], {"idDocType": "PASSPORT", "country": "USA"}, bytes(range(256)), filename=None
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
        (multipart(("metadata", metadata, None), ("content", b"", "a.png"))[0], content_type),  # empty image
        (multipart(*[(f"f{i}", b"x", None) for i in range(20)])[0], content_type),  # too many parts
    ]
    for sent, sent_type in cases:
        assert_sumsub_error(await call(http, "POST", target, sent, content_type=sent_type), 400)


async def test_an_oversized_body_is_413_before_anything_else(http: httpx.AsyncClient) -> None:
    response = await call(
        http, "POST", "/resources/applicants?levelName=basic-kyc-level", b"x" * (26 * 2**20)
    )
    assert_sumsub_error(response, 413)
