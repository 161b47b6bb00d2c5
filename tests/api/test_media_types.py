"""A body in the wrong media type is 415 naming the right one; a body that is not UTF-8 is 400 saying so."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import jane

JSON_WRITES = [
    ("POST", "/v1/customers", "unsupported_media_type"),
    ("POST", "/v2/customer", "request/unsupported-media-type"),
]


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"],
)
@pytest.mark.parametrize(("method", "path", "code"), JSON_WRITES)
async def test_a_json_route_refuses_another_media_type_with_415(
    client: httpx.AsyncClient, headers: dict[str, str], content_type: str, method: str, path: str, code: str
) -> None:
    answer = await client.request(
        method, path, content=b"{}", headers={**headers, "Content-Type": content_type}
    )
    assert answer.status_code == 415, answer.text
    assert answer.json()["code"] == code
    assert "application/json" in answer.text


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/merge-patch+json",
    ],
)
async def test_json_media_types_are_taken(
    client: httpx.AsyncClient, headers: dict[str, str], content_type: str
) -> None:
    answer = await client.post(
        "/v1/customers", content=b"{}", headers={**headers, "Content-Type": content_type}
    )
    assert answer.status_code == 201, answer.text


async def test_a_patch_in_another_media_type_is_refused_and_writes_nothing(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = (await client.post("/v2/customer", json=jane(), headers=headers)).json()
    path = f"/v2/customer/{created['id']}"
    answer = await client.patch(
        path, content=b'{"meta": {"a": 1}}', headers={**headers, "Content-Type": "text/plain"}
    )
    assert answer.status_code == 415
    assert (await client.get(path, headers=headers)).json()["meta"] == created["meta"]


@pytest.mark.parametrize(
    ("path", "code"), [("/v1/customers", "malformed_body"), ("/v2/customer", "request/malformed-body")]
)
async def test_a_body_that_is_not_utf8_is_400_saying_so(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, code: str
) -> None:
    body = b'{"firstName": "Jos\xe9"}'  # Latin-1, not UTF-8
    answer = await client.post(path, content=body, headers={**headers, "Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == code
    assert "UTF-8" in answer.text
    assert answer.json()["errors"][0]["pointer"] == ""  # the whole document


async def test_a_document_upload_takes_multipart_only(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    answer = await client.post(
        "/v2/document", content=b"{}", headers={**headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == 415
    assert "multipart/form-data" in answer.text
