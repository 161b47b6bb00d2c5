"""POST /v2/document: real content checks, size cap, criteria moving to pending, tenant scope."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kycrail.documents.content import MAX_DOCUMENT_BYTES
from tests.api import documents
from tests.api.calls import upload
from tests.api.stores import document_store  # noqa: F401 (every test here, on both stores)
from tests.factories import jane


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (documents.png(), "image/png"),
        (documents.jpeg(), "image/jpeg"),
        (documents.webp(), "image/webp"),
        (documents.pdf(), "application/pdf"),
    ],
)
async def test_jpeg_png_webp_and_pdf_are_accepted_by_their_bytes(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    create_customer: Any,
    content: bytes,
    content_type: str,
) -> None:
    customer = await create_customer()
    # The name and the declared type lie; the bytes decide.
    response = await upload(
        client, headers, customer["id"], content=content, filename="x.txt", declared_type="text/plain"
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["contentType"] == content_type
    assert body["size"] == len(content)
    assert body["targetId"] == customer["id"]
    assert body["status"] == "pending"
    assert body["id"].startswith("document_")


@pytest.mark.parametrize(
    "content",
    [
        b"just some text, named like an image",
        b"GIF89a\x01\x00\x01\x00",
        b"%PDF-1.7\n truncated, no trailer",
        b"\x89PNG\r\n\x1a\n but no header chunk",
        b"",
        documents.jpeg()[: len(documents.jpeg()) // 2],  # a JPEG cut short: its signature, not its image
        documents.png()[:-20],  # a PNG whose last chunks are gone
        b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9",  # JPEG markers around nothing
        b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 16,  # a WEBP's header, no image
    ],
    ids=[
        "text",
        "gif",
        "pdf-truncated",
        "png-no-header",
        "empty",
        "jpeg-cut",
        "png-cut",
        "jpeg-empty",
        "webp-empty",
    ],
)
async def test_other_content_is_refused_whatever_its_name(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any, content: bytes
) -> None:
    customer = await create_customer()
    response = await upload(
        client, headers, customer["id"], content=content, filename="id.jpg", declared_type="image/jpeg"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "document/unsupported-content"
    assert "JPEG, PNG, WEBP or PDF" in response.json()["detail"]  # what is taken
    assert response.json()["errors"][0]["pointer"] == "/file"
    after = (await client.get(f"/v2/customer/{customer['id']}", headers=headers)).json()
    assert after == customer


async def test_a_file_over_10_mb_is_413(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    too_big = documents.png() + b"\x00" * (MAX_DOCUMENT_BYTES + 1 - len(documents.png()))
    response = await upload(client, headers, customer["id"], content=too_big)
    assert response.status_code == 413
    assert response.json()["code"] == "payload/too-large"
    just_fits = documents.png() + b"\x00" * (MAX_DOCUMENT_BYTES - len(documents.png()))
    assert (await upload(client, headers, customer["id"], content=just_fits)).status_code == 201


async def test_documents_move_their_criteria_to_pending_and_submit_the_review(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    await upload(client, headers, customer["id"], "passport")
    after_passport = (await client.get(f"/v2/customer/{customer['id']}", headers=headers)).json()
    criteria = after_passport["verificationProfiles"][0]["criteria"]
    assert criteria["pending"] == ["identity_document"]
    assert criteria["required"] == ["liveness_report_document"]
    assert after_passport["verificationProfiles"][0]["status"] == "incomplete"

    await upload(client, headers, customer["id"], "liveness_report", content=documents.pdf())
    after_liveness = (await client.get(f"/v2/customer/{customer['id']}", headers=headers)).json()
    profile = after_liveness["verificationProfiles"][0]
    assert profile["criteria"]["pending"] == ["identity_document", "liveness_report_document"]
    assert profile["criteria"]["required"] == []
    assert profile["status"] == "pending"  # submitted on its own: no submit call


@pytest.mark.parametrize(
    ("fields", "pointer"),
    [
        ({"documentType": "selfie"}, "/documentType"),
        ({"target": "business"}, "/target"),
        ({"country": "XX"}, "/country"),
    ],
)
async def test_bad_form_fields_are_named(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    create_customer: Any,
    fields: dict[str, str],
    pointer: str,
) -> None:
    customer = await create_customer()
    fields = dict(fields)  # the parameter is shared by every run of this test
    document_type = fields.pop("documentType", "passport")
    response = await upload(client, headers, customer["id"], document_type, **fields)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert pointer in (
        error.get("pointer"),
        "/" + str(error.get("pointer", "")).lstrip("/"),
        error.get("parameter"),
    )


async def test_a_business_document_is_refused_for_an_individual(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    response = await upload(client, headers, customer["id"], "business_registration")
    assert response.status_code == 400
    assert response.json()["code"] == "document/type-not-applicable"


async def test_another_tenants_customer_takes_no_document(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    response = await upload(client, other_headers, customer["id"])
    assert response.status_code == 404
    assert response.json()["code"] == "resource/not-found"
    after = (await client.get(f"/v2/customer/{customer['id']}", headers=headers)).json()
    assert after == customer


async def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    """A decompression bomb: a tiny PNG claiming 20,000 x 20,000 pixels (400 million; decoded, 1.2 GB).
    Its header says so, and that is all that is read."""
    customer = await create_customer()
    bomb = documents.png_claiming(20_000, 20_000)
    assert len(bomb) < 100_000
    response = await upload(client, headers, customer["id"], content=bomb)
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "document/too-many-pixels"
    assert "pixels" in response.json()["detail"]
    after = (await client.get(f"/v2/customer/{customer['id']}", headers=headers)).json()
    assert after == customer


async def test_an_image_just_past_the_pixel_limit_is_refused_with_its_size(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    response = await upload(client, headers, customer["id"], content=documents.png_claiming(8_000, 5_001))
    assert response.status_code == 413, response.text
    assert "8000 x 5001" in response.json()["detail"]


async def test_the_same_file_twice_on_a_customer_is_409_and_another_customer_may_have_it(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    first = await upload(client, headers, customer["id"], content=documents.jpeg(shade=7))
    assert first.status_code == 201, first.text
    before = (await client.get(f"/v2/customer/{customer['id']}", headers=headers)).json()
    again = await upload(client, headers, customer["id"], "id_card", content=documents.jpeg(shade=7))
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "document/duplicate"
    assert again.json()["errors"][0]["pointer"] == "/file"
    assert (await client.get(f"/v2/customer/{customer['id']}", headers=headers)).json() == before
    other = await create_customer(jane(email="other@example.com", phone="+14155550188"))
    assert (await upload(client, headers, other["id"], content=documents.jpeg(shade=7))).status_code == 201
    changed = await upload(client, headers, customer["id"], content=documents.jpeg(shade=8))
    assert changed.status_code == 201, changed.text
