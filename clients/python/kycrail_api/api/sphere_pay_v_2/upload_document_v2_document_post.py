from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.body_upload_document_v2_document_post import BodyUploadDocumentV2DocumentPost
from ...models.document_out import DocumentOut
from ...models.sphere_error_out import SphereErrorOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: BodyUploadDocumentV2DocumentPost,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/document",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DocumentOut | SphereErrorOut | None:
    if response.status_code == 201:
        response_201 = DocumentOut.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = SphereErrorOut.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = SphereErrorOut.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = SphereErrorOut.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = SphereErrorOut.from_dict(response.json())



        return response_404

    if response.status_code == 408:
        response_408 = SphereErrorOut.from_dict(response.json())



        return response_408

    if response.status_code == 409:
        response_409 = SphereErrorOut.from_dict(response.json())



        return response_409

    if response.status_code == 410:
        response_410 = SphereErrorOut.from_dict(response.json())



        return response_410

    if response.status_code == 413:
        response_413 = SphereErrorOut.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = SphereErrorOut.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = SphereErrorOut.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = SphereErrorOut.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = SphereErrorOut.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[DocumentOut | SphereErrorOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BodyUploadDocumentV2DocumentPost,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[DocumentOut | SphereErrorOut]:
    """ Upload a customer document

     JPEG, PNG, WEBP or PDF, judged by the file's own bytes; at most `KYCRAIL_DOCUMENT_MAX_BYTES` (10 MB
    by default; 413 past it) and, for an image, `KYCRAIL_DOCUMENT_MAX_PIXELS` (40 million by default,
    read from its header before anything is decoded). A file the customer already has is 409. Nothing is
    stored when a check fails.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (BodyUploadDocumentV2DocumentPost):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentOut | SphereErrorOut]
     """


    kwargs = _get_kwargs(
        body=body,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: BodyUploadDocumentV2DocumentPost,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> DocumentOut | SphereErrorOut | None:
    """ Upload a customer document

     JPEG, PNG, WEBP or PDF, judged by the file's own bytes; at most `KYCRAIL_DOCUMENT_MAX_BYTES` (10 MB
    by default; 413 past it) and, for an image, `KYCRAIL_DOCUMENT_MAX_PIXELS` (40 million by default,
    read from its header before anything is decoded). A file the customer already has is 409. Nothing is
    stored when a check fails.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (BodyUploadDocumentV2DocumentPost):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentOut | SphereErrorOut
     """


    return sync_detailed(
        client=client,
body=body,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BodyUploadDocumentV2DocumentPost,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[DocumentOut | SphereErrorOut]:
    """ Upload a customer document

     JPEG, PNG, WEBP or PDF, judged by the file's own bytes; at most `KYCRAIL_DOCUMENT_MAX_BYTES` (10 MB
    by default; 413 past it) and, for an image, `KYCRAIL_DOCUMENT_MAX_PIXELS` (40 million by default,
    read from its header before anything is decoded). A file the customer already has is 409. Nothing is
    stored when a check fails.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (BodyUploadDocumentV2DocumentPost):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentOut | SphereErrorOut]
     """


    kwargs = _get_kwargs(
        body=body,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BodyUploadDocumentV2DocumentPost,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> DocumentOut | SphereErrorOut | None:
    """ Upload a customer document

     JPEG, PNG, WEBP or PDF, judged by the file's own bytes; at most `KYCRAIL_DOCUMENT_MAX_BYTES` (10 MB
    by default; 413 past it) and, for an image, `KYCRAIL_DOCUMENT_MAX_PIXELS` (40 million by default,
    read from its header before anything is decoded). A file the customer already has is 409. Nothing is
    stored when a check fails.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (BodyUploadDocumentV2DocumentPost):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentOut | SphereErrorOut
     """


    return (await asyncio_detailed(
        client=client,
body=body,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    )).parsed
