"""GET /v2/document?targetId=, GET /v2/document/{id} and GET /v2/document/{id}/file: a customer's
documents read back by its tenant's api and reviewer keys, never by another tenant; every read of a
file's bytes on the audit trail (kycrail/api/sphere/documents.py, kycrail/documents/service.py)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api import documents
from tests.api.calls import upload
from tests.api.stores import document_store  # noqa: F401 (every test here, on both stores)
from tests.api.test_kyc_decisions import pending_emily, review


async def uploaded(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> list[dict[str, Any]]:
    """A passport (PNG) and a liveness report (PDF) on the customer: their upload answers, in order."""
    answers = [
        await upload(client, headers, customer_id, "passport", content=documents.png()),
        await upload(client, headers, customer_id, "liveness_report", content=documents.pdf()),
    ]
    assert all(answer.status_code == 201 for answer in answers), [a.text for a in answers]
    return [answer.json() for answer in answers]


async def test_a_customers_documents_are_listed_and_read_back(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    passport, report = await uploaded(client, headers, customer["id"])
    for key in (headers, reviewer_headers):
        listed = await client.get("/v2/document", params={"targetId": customer["id"]}, headers=key)
        assert listed.status_code == 200, listed.text
        assert listed.json()["documents"] == [
            passport | {"status": "pending"},
            report | {"status": "pending"},
        ]
        assert listed.json()["pagination"] == {
            "page": 1, "limit": 10, "total": 2, "totalPages": 1, "hasNext": False, "hasPrevious": False
        }  # fmt: skip
        one = await client.get(f"/v2/document/{passport['id']}", headers=key)
        assert one.status_code == 200, one.text
        assert one.json() == passport
    second_page = await client.get(
        "/v2/document", params={"targetId": customer["id"], "page": 2, "limit": 1}, headers=headers
    )
    assert [d["id"] for d in second_page.json()["documents"]] == [report["id"]]

    file = await client.get(f"/v2/document/{passport['id']}/file", headers=reviewer_headers)
    assert file.status_code == 200
    assert file.content == documents.png()
    assert file.headers["content-type"] == "image/png"
    assert file.headers["content-disposition"] == f'attachment; filename="{passport["id"]}"'
    assert file.headers["cache-control"] == "no-store"
    assert file.headers["x-content-type-options"] == "nosniff"
    pdf = await client.get(f"/v2/document/{report['id']}/file", headers=headers)
    assert (pdf.content, pdf.headers["content-type"]) == (documents.pdf(), "application/pdf")

    events = (await client.get(f"/v2/customer/{customer['id']}/events", headers=headers)).json()["events"]
    reads = [event for event in events if event["type"] == "document.read"]
    assert [(event["actor"]["role"], event["changes"][0]["to"]) for event in reads] == [
        ("reviewer", passport["id"]),
        ("api", report["id"]),
    ]


async def test_a_review_shows_in_the_documents_status(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    customer_id = await pending_emily(client, headers)
    decision = {
        "decision": "rejected",
        "reasons": [{"criterion": "identity_document", "message": "Blurry"}],
    }
    assert (await review(client, reviewer_headers, customer_id, decision)).status_code == 200
    listed = (await client.get("/v2/document", params={"targetId": customer_id}, headers=headers)).json()
    statuses = {d["documentType"]: d["status"] for d in listed["documents"]}
    assert statuses == {"passport": "rejected", "liveness_report": "pending"}


async def test_another_tenant_reads_nothing_and_a_deleted_customers_documents_are_gone(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    passport, _ = await uploaded(client, headers, customer["id"])
    for path in (f"/v2/document/{passport['id']}", f"/v2/document/{passport['id']}/file"):
        answer = await client.get(path, headers=other_headers)
        assert answer.status_code == 404, answer.text
        assert answer.json()["code"] == "resource/not-found"
        assert documents.png() not in answer.content
    listed = await client.get("/v2/document", params={"targetId": customer["id"]}, headers=other_headers)
    assert listed.status_code == 404
    for malformed in ("document_x", "document_" + "Z" * 32, "document_" + "0" * 32):
        assert (await client.get(f"/v2/document/{malformed}", headers=headers)).status_code == 404
    events = (await client.get(f"/v2/customer/{customer['id']}/events", headers=headers)).json()["events"]
    assert "document.read" not in [event["type"] for event in events]  # a refused read reads nothing

    assert (await client.delete(f"/v2/customer/{customer['id']}", headers=headers)).status_code == 204
    for path in (f"/v2/document/{passport['id']}", f"/v2/document/{passport['id']}/file"):
        assert (await client.get(path, headers=headers)).status_code == 404
    gone = await client.get("/v2/document", params={"targetId": customer["id"]}, headers=headers)
    assert gone.status_code == 404


async def test_the_list_needs_its_customer(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    missing = await client.get("/v2/document", headers=headers)
    assert missing.status_code == 422
    assert missing.json()["errors"][0].get("parameter") == "targetId"
