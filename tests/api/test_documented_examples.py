"""The OpenAPI document's examples (api/*/examples.py): every operation has them, each fits the schema
it illustrates, SpherePay's PATCH example is SpherePay's own, and the customer examples are what the
app answers when their requests are replayed."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema_rs
from fastapi import FastAPI

from kycrail.api import examples as service
from kycrail.api.sphere import examples as sphere
from kycrail.api.swipelux import examples as swipelux
from tests.api import documents
from tests.api.calls import mint, upload
from tests.api.seed import SEED_PER_RUN, SEED_REQUEST, SEED_RESPONSE


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_every_operation_has_examples_that_fit_their_schemas(app: FastAPI) -> None:
    document = app.openapi()
    components = document["components"]
    checked = 0
    for method, path, operation in _operations(document):
        bodies = list(operation.get("requestBody", {}).get("content", {}).values())
        answers = [
            media
            for status, answer in operation["responses"].items()
            if status.startswith("2")
            for media in answer.get("content", {}).values()
            if media.get("schema") and media["schema"].get("format") != "binary"  # a file: no JSON to show
        ]
        for media in bodies + answers:
            where = f"{method.upper()} {path}"
            assert "example" in media, f"{where} has no example"
            schema = {**media["schema"], "components": components}
            errors = [
                error.message
                for error in jsonschema_rs.Draft202012Validator(schema).iter_errors(media["example"])
            ]
            assert errors == [], f"{where}: {errors}"
            checked += 1
    assert checked >= 35  # the bodies and answers of some 30 operations


def test_the_patch_example_is_spherepays_own() -> None:
    patch = sphere.EXAMPLES[("PATCH", "/v2/customer/{customer_id}")]
    assert patch.request == SEED_REQUEST
    seed = {**SEED_PER_RUN, **SEED_RESPONSE}
    assert {name: patch.response[name] for name in seed} == seed  # kycrail adds fields


def _as_example(answer: dict[str, Any], example: dict[str, Any]) -> dict[str, Any]:
    """The answer with the example's id and times: all that differs between two runs."""
    return {**answer, **{name: example[name] for name in ("id", "createdAt", "updatedAt")}}


async def test_the_sphere_examples_are_what_the_app_answers(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    create = sphere.EXAMPLES[("POST", "/v2/customer")]
    created = await client.post("/v2/customer", json=create.request, headers=headers)
    assert created.status_code == 201
    assert _as_example(created.json(), create.response) == create.response
    customer_id = created.json()["id"]
    patch = sphere.EXAMPLES[("PATCH", "/v2/customer/{customer_id}")]
    updated = await client.patch(f"/v2/customer/{customer_id}", json=patch.request, headers=headers)
    assert _as_example(updated.json(), patch.response) == patch.response
    read = await client.get(f"/v2/customer/{customer_id}", headers=headers)
    assert (
        _as_example(read.json(), patch.response)
        == sphere.EXAMPLES[("GET", "/v2/customer/{customer_id}")].response
    )

    await upload(client, headers, customer_id, "passport")
    await upload(client, headers, customer_id, "liveness_report", documents.pdf())
    review = service.EXAMPLES[("POST", "/ops/customers/{customer_id}/review")]
    reviewed = await client.post(
        f"/ops/customers/{customer_id}/review", json=review.request, headers=reviewer_headers
    )
    assert _as_example(reviewed.json(), review.response) == review.response


async def test_the_swipelux_examples_are_what_the_app_answers(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    create = swipelux.EXAMPLES[("POST", "/v1/customers")]
    created = await client.post("/v1/customers", json=create.request, headers=headers)
    assert _as_example(created.json(), create.response) == create.response
    put = swipelux.EXAMPLES[("PUT", "/v1/customers/{customer_id}")]
    token = await mint(client, headers, "approved")
    imported = await client.put(
        f"/v1/customers/{created.json()['id']}", json={**put.request, "shareToken": token}, headers=headers
    )
    assert imported.status_code == 200, imported.text
    assert _as_example(imported.json(), put.response) == put.response
