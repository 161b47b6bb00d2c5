from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.sphere_document_list_out import SphereDocumentListOut
from ...models.sphere_error_out import SphereErrorOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    target_id: str,
    page: int | Unset = 1,
    limit: int | Unset = 10,
    x_request_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id



    

    params: dict[str, Any] = {}

    params["targetId"] = target_id

    params["page"] = page

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/document",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SphereDocumentListOut | SphereErrorOut | None:
    if response.status_code == 200:
        response_200 = SphereDocumentListOut.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = SphereErrorOut.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = SphereErrorOut.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = SphereErrorOut.from_dict(response.json())



        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[SphereDocumentListOut | SphereErrorOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    target_id: str,
    page: int | Unset = 1,
    limit: int | Unset = 10,
    x_request_id: str | Unset = UNSET,

) -> Response[SphereDocumentListOut | SphereErrorOut]:
    """ List a customer's documents

     The customer's documents, oldest first: those uploaded, and the files fetched from the KYC provider
    once it reviewed the customer (`source`); what each is, never its bytes.

    Args:
        target_id (str): The customer's id.
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 10.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SphereDocumentListOut | SphereErrorOut]
     """


    kwargs = _get_kwargs(
        target_id=target_id,
page=page,
limit=limit,
x_request_id=x_request_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    target_id: str,
    page: int | Unset = 1,
    limit: int | Unset = 10,
    x_request_id: str | Unset = UNSET,

) -> SphereDocumentListOut | SphereErrorOut | None:
    """ List a customer's documents

     The customer's documents, oldest first: those uploaded, and the files fetched from the KYC provider
    once it reviewed the customer (`source`); what each is, never its bytes.

    Args:
        target_id (str): The customer's id.
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 10.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SphereDocumentListOut | SphereErrorOut
     """


    return sync_detailed(
        client=client,
target_id=target_id,
page=page,
limit=limit,
x_request_id=x_request_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    target_id: str,
    page: int | Unset = 1,
    limit: int | Unset = 10,
    x_request_id: str | Unset = UNSET,

) -> Response[SphereDocumentListOut | SphereErrorOut]:
    """ List a customer's documents

     The customer's documents, oldest first: those uploaded, and the files fetched from the KYC provider
    once it reviewed the customer (`source`); what each is, never its bytes.

    Args:
        target_id (str): The customer's id.
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 10.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SphereDocumentListOut | SphereErrorOut]
     """


    kwargs = _get_kwargs(
        target_id=target_id,
page=page,
limit=limit,
x_request_id=x_request_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    target_id: str,
    page: int | Unset = 1,
    limit: int | Unset = 10,
    x_request_id: str | Unset = UNSET,

) -> SphereDocumentListOut | SphereErrorOut | None:
    """ List a customer's documents

     The customer's documents, oldest first: those uploaded, and the files fetched from the KYC provider
    once it reviewed the customer (`source`); what each is, never its bytes.

    Args:
        target_id (str): The customer's id.
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 10.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SphereDocumentListOut | SphereErrorOut
     """


    return (await asyncio_detailed(
        client=client,
target_id=target_id,
page=page,
limit=limit,
x_request_id=x_request_id,

    )).parsed
