"""Text no client can mean: lone surrogates, control characters, bidirectional overrides, unnormalised
names, combining marks no spelling uses.

Every string a client sends (body fields of both dialects and of /ops, meta keys and values, form fields)
is refused with a 422 and a pointer when it holds a lone surrogate or a control character (tab and newline
are allowed in free text only: meta string values and a reviewer's message); names are stored in NFC
and refuse bidirectional controls and combining marks no spelling uses. A refused request writes nothing,
and the tenant's lists keep working.

Bodies are sent as ASCII JSON (``json.dumps``): that is how a lone surrogate travels, as ``"\\ud800"``.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.api.common.wire import JSONResponse
from kycrail.customers.tables import customer_events, customers
from kycrail.documents.tables import documents
from tests.api import documents as files
from tests.api.bodies import (
    ADDRESS,
    V1,
    V1_BUSINESS,
    V1_INDIVIDUAL,
    V2,
    V2_BUSINESS,
    V2_INDIVIDUAL,
    V2_PATCH,
    text_fields,
    with_value,
)
from tests.api.calls import upload
from tests.fuzz.hostile import BIDI_CONTROL_CHARACTERS

# --- helpers -----------------------------------------------------------------------------------


async def send(
    client: httpx.AsyncClient, method: str, url: str, body: Any, headers: dict[str, str]
) -> httpx.Response:
    content = json.dumps(body)  # ASCII, every non-ASCII character escaped
    return await client.request(
        method, url, content=content, headers={**headers, "Content-Type": "application/json"}
    )


def refused(response: httpx.Response, pointers: list[str]) -> None:
    """A 422 in its dialect's shape, one error per pointer, and a body that is valid UTF-8 JSON."""
    assert response.status_code == 422, response.text
    body = json.loads(response.content.decode("utf-8"))
    v1 = response.request.url.path.startswith("/v1/")
    assert body["code"] == ("validation_failed" if v1 else "validation/failed")
    assert [error["pointer"] for error in body["errors"]] == pointers


async def stored(engine: AsyncEngine) -> tuple[list[dict[str, Any]], int, int]:
    """Every customer row, and how many events and documents: what a refused request must not change."""
    async with engine.connect() as connection:
        rows = await connection.execute(select(customers).order_by(customers.c.id))
        events = await connection.scalar(select(func.count()).select_from(customer_events))
        files_on_record = await connection.scalar(select(func.count()).select_from(documents))
    return [dict(row._mapping) for row in rows], int(events or 0), int(files_on_record or 0)


async def lists_answer(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    for url in (V2, V1):
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, response.text


async def created(client: httpx.AsyncClient, headers: dict[str, str], url: str, body: dict[str, Any]) -> str:
    response = await send(client, "POST", url, body, headers)
    assert response.status_code == 201, response.text
    customer_id: str = response.json()["id"]
    return customer_id


# --- lone surrogates -----------------------------------------------------------------------------

SURROGATE = "\ud800"
# (method, url, the body's other fields, the dialect's name for meta)
META_REQUESTS = [
    pytest.param("POST", V1, {}, "metadata", id="v1-create"),
    pytest.param("PUT", V1, {}, "metadata", id="v1-update"),
    pytest.param("POST", V2, V2_INDIVIDUAL, "meta", id="v2-create"),
    pytest.param("PATCH", V2, {}, "meta", id="v2-update"),
]


@pytest.mark.parametrize(("method", "url", "body", "field"), META_REQUESTS)
@pytest.mark.parametrize(
    ("meta", "relative"),
    [
        ({SURROGATE: "x"}, "/" + SURROGATE),
        ({"note": "x" + SURROGATE}, "/note"),
        ({"a/~" + SURROGATE: 1}, "/a~1~0" + SURROGATE),  # RFC 6901: "/" is "~1", "~" is "~0"
    ],
    ids=["key", "value", "escaped-key"],
)
async def test_a_lone_surrogate_in_meta_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    engine: AsyncEngine,
    method: str,
    url: str,
    body: dict[str, Any],
    field: str,
    meta: dict[str, Any],
    relative: str,
) -> None:
    if method != "POST":
        url = f"{url}/{await created(client, headers, url, V1_INDIVIDUAL if url == V1 else V2_INDIVIDUAL)}"
    before = await stored(engine)
    response = await send(client, method, url, {**body, field: meta}, headers)
    refused(response, [f"/{field}{relative}"])
    assert await stored(engine) == before
    await lists_answer(client, headers)


@pytest.mark.parametrize(
    ("url", "body", "pointer"),
    [
        (V1, {SURROGATE: 1}, "/" + SURROGATE),
        (V1, {"residentialAddress": {"x" + SURROGATE: 1}}, "/residentialAddress/x" + SURROGATE),
        (V2, {**V2_INDIVIDUAL, "address": {**ADDRESS, SURROGATE: 1}}, "/address/" + SURROGATE),
    ],
)
async def test_an_unknown_key_with_a_lone_surrogate_is_pointed_at(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    engine: AsyncEngine,
    url: str,
    body: dict[str, Any],
    pointer: str,
) -> None:
    before = await stored(engine)
    refused(await send(client, "POST", url, body, headers), [pointer])
    assert await stored(engine) == before
    await lists_answer(client, headers)


def test_a_response_naming_a_lone_surrogate_renders_as_valid_json() -> None:
    rendered = JSONResponse({"errors": [{"pointer": "/metadata/" + SURROGATE}], "big": 2**70}).body
    assert rendered.isascii()
    assert json.loads(rendered.decode("utf-8")) == {"errors": [{"pointer": "/metadata/\ud800"}], "big": 2**70}


# --- NUL (and other controls) in every text field ------------------------------------------------


def _nul_cases() -> list[Any]:
    """(method, dialect url, body with a NUL at pointer, pointer) for every text field of every body."""
    bodies = [
        ("POST", V2, V2_INDIVIDUAL, "v2-create"),
        ("POST", V2, V2_BUSINESS, "v2-create-business"),
        ("PATCH", V2, V2_PATCH, "v2-update"),
        ("POST", V1, {**V1_INDIVIDUAL, "shareToken": "token"}, "v1-create"),
        ("POST", V1, V1_BUSINESS, "v1-create-business"),
        ("PUT", V1, {**V1_INDIVIDUAL, "shareToken": "token"}, "v1-update"),
    ]
    return [
        pytest.param(
            method,
            url,
            with_value(body, pointer, value[:1] + "\x00" + value[1:]),
            pointer,
            id=f"{name}{pointer}",
        )
        for method, url, body, name in bodies
        for pointer, value in text_fields(body)
    ]


@pytest.mark.parametrize(("method", "url", "body", "pointer"), _nul_cases())
async def test_a_nul_in_any_text_field_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    engine: AsyncEngine,
    method: str,
    url: str,
    body: dict[str, Any],
    pointer: str,
) -> None:
    if method != "POST":
        url = f"{url}/{await created(client, headers, url, V1_INDIVIDUAL if url == V1 else V2_INDIVIDUAL)}"
    before = await stored(engine)
    refused(await send(client, method, url, body, headers), [pointer])
    assert await stored(engine) == before


@pytest.mark.parametrize("control", ["\x01", "\x1b", "\x0b", "\x7f", "\x85", "\x9f"])
async def test_other_control_characters_are_refused_too(
    client: httpx.AsyncClient, headers: dict[str, str], control: str
) -> None:
    refused(await send(client, "POST", V1, {"lastName": f"Love{control}lace"}, headers), ["/lastName"])
    refused(await send(client, "POST", V1, {"metadata": {"k": control}}, headers), ["/metadata/k"])
    refused(await send(client, "POST", V1, {"metadata": {control: "v"}}, headers), [f"/metadata/{control}"])


# --- tab and newline: free text only ------------------------------------------------------------


@pytest.mark.parametrize("name", ["Ja\tne", "Ja\nne", "Jane\n", "\tJane", "Jane\r\n"])
async def test_tab_and_newline_are_refused_in_a_name(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, name: str
) -> None:
    before = await stored(engine)
    body = with_value(V2_INDIVIDUAL, "/personalInformation/firstName", name)
    refused(await send(client, "POST", V2, body, headers), ["/personalInformation/firstName"])
    refused(await send(client, "POST", V1, {"firstName": name}, headers), ["/firstName"])
    assert await stored(engine) == before


@pytest.mark.parametrize("key", ["a\tb", "a\nb"])
async def test_tab_and_newline_are_refused_in_a_meta_key(
    client: httpx.AsyncClient, headers: dict[str, str], key: str
) -> None:
    refused(await send(client, "POST", V1, {"metadata": {key: "x"}}, headers), [f"/metadata/{key}"])


async def test_tab_and_newline_are_kept_in_a_meta_value(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    note = "line one\r\n\tline two\n"
    v2 = await send(client, "POST", V2, {**V2_INDIVIDUAL, "meta": {"note": note}}, headers)
    assert v2.status_code == 201, v2.text
    assert v2.json()["meta"] == {"note": note}
    v1 = await send(client, "POST", V1, {"metadata": {"note": note}}, headers)
    assert v1.status_code == 201, v1.text
    fetched = await client.get(f"{V1}/{v1.json()['id']}", headers=headers)
    assert fetched.json()["metadata"] == {"note": note}


async def _pending_customer(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    customer_id = await created(client, headers, V2, V2_INDIVIDUAL)
    assert (await upload(client, headers, customer_id, "passport")).status_code == 201
    assert (await upload(client, headers, customer_id, "liveness_report", files.pdf())).status_code == 201
    return customer_id


async def test_tab_and_newline_are_kept_in_a_review_reason_message(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    customer_id = await _pending_customer(client, headers)
    message = "Blurry photo.\r\n\tPlease upload the front page again."
    decision = {
        "decision": "rejected",
        "final": False,
        "reasons": [{"criterion": "identity_document", "message": message}],
    }
    response = await send(client, "POST", f"/ops/customers/{customer_id}/review", decision, reviewer_headers)
    assert response.status_code == 200, response.text
    errors = response.json()["verificationProfiles"][0]["criteria"]["errors"]
    assert errors == [{"name": "identity_document", "message": message}]


@pytest.mark.parametrize(
    ("reason", "pointer"),
    [
        ({"criterion": "identity_document\n", "message": "Blurry"}, "/reasons/0/criterion"),
        ({"criterion": "identity_document", "message": "Blurry\x00"}, "/reasons/0/message"),
        ({"criterion": "identity_document", "message": "Blurry\x0c"}, "/reasons/0/message"),
        ({"criterion": "identity_document", "message": "Blurry" + SURROGATE}, "/reasons/0/message"),
    ],
)
async def test_a_review_with_hostile_text_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    engine: AsyncEngine,
    reason: dict[str, str],
    pointer: str,
) -> None:
    customer_id = await _pending_customer(client, headers)
    before = await stored(engine)
    decision = {"decision": "rejected", "final": True, "reasons": [reason]}
    response = await send(client, "POST", f"/ops/customers/{customer_id}/review", decision, reviewer_headers)
    refused(response, [pointer])
    assert await stored(engine) == before


# --- names: NFC, no bidirectional controls ------------------------------------------------------


@pytest.mark.parametrize("bidi", BIDI_CONTROL_CHARACTERS)
async def test_bidirectional_controls_are_refused_in_names(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, bidi: str
) -> None:
    before = await stored(engine)
    person = with_value(V2_INDIVIDUAL, "/personalInformation/lastName", f"Smi{bidi}th")
    refused(await send(client, "POST", V2, person, headers), ["/personalInformation/lastName"])
    business = with_value(V2_BUSINESS, "/businessInformation/tradeName", f"{bidi}Acme")
    refused(await send(client, "POST", V2, business, headers), ["/businessInformation/tradeName"])
    refused(await send(client, "POST", V1, {"firstName": f"Ada{bidi}"}, headers), ["/firstName"])
    refused(
        await send(client, "POST", V1, {**V1_BUSINESS, "legalName": f"Acme{bidi}"}, headers), ["/legalName"]
    )
    assert await stored(engine) == before


# Combining marks no spelling uses: strikethrough and other overlays, enclosing marks, stacks (zalgo),
# a mark on no letter. (tests/customers/test_rules.py holds the rule's cases; these go through the API.)
MARKED_NAMES = ["J\u0336a\u0336n\u0336e\u0336", "Jane\u20dd", "J\u0300\u0301\u0302ane", "Jane \u0301"]


@pytest.mark.parametrize("name", MARKED_NAMES)
async def test_names_with_marks_no_spelling_uses_are_refused_in_both_dialects(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, name: str
) -> None:
    before = await stored(engine)
    person = with_value(V2_INDIVIDUAL, "/personalInformation/firstName", name)
    refused(await send(client, "POST", V2, person, headers), ["/personalInformation/firstName"])
    business = with_value(V2_BUSINESS, "/businessInformation/legalName", name)
    refused(await send(client, "POST", V2, business, headers), ["/businessInformation/legalName"])
    refused(await send(client, "POST", V1, {"lastName": name}, headers), ["/lastName"])
    assert await stored(engine) == before


@pytest.mark.parametrize(
    "name",
    ["Nguyễn Thị Bích Ngọc", "Ṣàngó", "Ψυχή", "Дмитрий", "山田太郎", "श्रीनिवास", "สมชาย ที่ดี", "ကျော်"],
)
async def test_real_names_in_many_scripts_are_kept_as_sent(
    client: httpx.AsyncClient, headers: dict[str, str], name: str
) -> None:
    response = await send(client, "POST", V1, {"firstName": name}, headers)
    assert response.status_code == 201, response.text
    assert response.json()["firstName"] == name


async def test_a_bidirectional_control_is_accepted_outside_names(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    body = with_value(V2_INDIVIDUAL, "/address/line1", "\u200f233 South Wacker Drive")
    assert (await send(client, "POST", V2, body, headers)).status_code == 201


async def test_names_are_stored_composed(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    decomposed, composed = "Jose\u0301", "José"
    person = with_value(V2_INDIVIDUAL, "/personalInformation/firstName", decomposed)
    v2 = await send(
        client, "POST", V2, with_value(person, "/personalInformation/middleName", "N\u0303un\u0303o"), headers
    )
    assert v2.status_code == 201, v2.text
    assert v2.json()["personalInformation"]["firstName"] == composed
    assert v2.json()["personalInformation"]["middleName"] == "Ñuño"
    fetched = await client.get(f"{V1}/{v2.json()['id']}", headers=headers)
    assert fetched.json()["firstName"] == composed

    patched = await send(
        client,
        "PATCH",
        f"{V2}/{v2.json()['id']}",
        {"address": ADDRESS, "personalInformation": {"lastName": "Mu\u0308ller"}},
        headers,
    )
    assert patched.json()["personalInformation"]["lastName"] == "Müller"

    v1 = await send(client, "POST", V1, {"firstName": decomposed}, headers)
    assert v1.json()["firstName"] == composed
    put = await send(client, "PUT", f"{V1}/{v1.json()['id']}", {"lastName": "A\u030angstro\u0308m"}, headers)
    assert put.json()["lastName"] == "Ångström"

    business = with_value(V2_BUSINESS, "/businessInformation/legalName", "Cafe\u0301 SA")
    created_business = (await send(client, "POST", V2, business, headers)).json()
    assert created_business["businessInformation"]["legalName"] == "Café SA"
    legal = await send(
        client,
        "POST",
        V1,
        {**V1_BUSINESS, "email": "b@example.com", "phone": "+14155550188", "legalName": "Cafe\u0301"},
        headers,
    )
    assert legal.json()["legalName"] == "Café"


# --- form fields of a document upload -----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "control"), [("targetId", "\x00"), ("country", "\x00"), ("country", "\x85")]
)
async def test_a_document_upload_with_control_characters_in_a_field_is_refused(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, field: str, control: str
) -> None:
    customer_id = await created(client, headers, V2, V2_INDIVIDUAL)
    valid = {"targetId": customer_id, "country": "USA"}
    before = await stored(engine)
    response = await upload(client, headers, customer_id, "passport", **{field: valid[field] + control})
    refused(response, [f"/{field}"])
    assert await stored(engine) == before
