from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.import_in import ImportIn
from ...models.swipelux_customer_out import SwipeluxCustomerOut
from ...models.swipelux_error_out import SwipeluxErrorOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    customer_id: str,
    *,
    body: ImportIn,
    if_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/customers/{customer_id}/kyc/import".format(customer_id=quote(str(customer_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SwipeluxCustomerOut | SwipeluxErrorOut | None:
    if response.status_code == 200:
        response_200 = SwipeluxCustomerOut.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = SwipeluxErrorOut.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = SwipeluxErrorOut.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = SwipeluxErrorOut.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = SwipeluxErrorOut.from_dict(response.json())



        return response_404

    if response.status_code == 408:
        response_408 = SwipeluxErrorOut.from_dict(response.json())



        return response_408

    if response.status_code == 409:
        response_409 = SwipeluxErrorOut.from_dict(response.json())



        return response_409

    if response.status_code == 410:
        response_410 = SwipeluxErrorOut.from_dict(response.json())



        return response_410

    if response.status_code == 412:
        response_412 = SwipeluxErrorOut.from_dict(response.json())



        return response_412

    if response.status_code == 413:
        response_413 = SwipeluxErrorOut.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = SwipeluxErrorOut.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = SwipeluxErrorOut.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = SwipeluxErrorOut.from_dict(response.json())



        return response_429

    if response.status_code == 502:
        response_502 = SwipeluxErrorOut.from_dict(response.json())



        return response_502

    if response.status_code == 503:
        response_503 = SwipeluxErrorOut.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[SwipeluxCustomerOut | SwipeluxErrorOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    body: ImportIn,
    if_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[SwipeluxCustomerOut | SwipeluxErrorOut]:
    """ Import KYC through a SumSub share token

    Args:
        customer_id (str):
        if_match (str | Unset): Apply the write only if the customer is still at one of these
            versions: its ETag (e.g. "3"), a list of them ("3", "4"), or * for any. A weak tag (W/"3")
            never matches a write. 412 when none matches; An empty list names no version (412). 400
            when the value is not a list of entity tags.
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (ImportIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxCustomerOut | SwipeluxErrorOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
body=body,
if_match=if_match,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    body: ImportIn,
    if_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> SwipeluxCustomerOut | SwipeluxErrorOut | None:
    """ Import KYC through a SumSub share token

    Args:
        customer_id (str):
        if_match (str | Unset): Apply the write only if the customer is still at one of these
            versions: its ETag (e.g. "3"), a list of them ("3", "4"), or * for any. A weak tag (W/"3")
            never matches a write. 412 when none matches; An empty list names no version (412). 400
            when the value is not a list of entity tags.
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (ImportIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxCustomerOut | SwipeluxErrorOut
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,
body=body,
if_match=if_match,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    body: ImportIn,
    if_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[SwipeluxCustomerOut | SwipeluxErrorOut]:
    """ Import KYC through a SumSub share token

    Args:
        customer_id (str):
        if_match (str | Unset): Apply the write only if the customer is still at one of these
            versions: its ETag (e.g. "3"), a list of them ("3", "4"), or * for any. A weak tag (W/"3")
            never matches a write. 412 when none matches; An empty list names no version (412). 400
            when the value is not a list of entity tags.
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (ImportIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxCustomerOut | SwipeluxErrorOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
body=body,
if_match=if_match,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    body: ImportIn,
    if_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> SwipeluxCustomerOut | SwipeluxErrorOut | None:
    """ Import KYC through a SumSub share token

    Args:
        customer_id (str):
        if_match (str | Unset): Apply the write only if the customer is still at one of these
            versions: its ETag (e.g. "3"), a list of them ("3", "4"), or * for any. A weak tag (W/"3")
            never matches a write. 412 when none matches; An empty list names no version (412). 400
            when the value is not a list of entity tags.
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (ImportIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxCustomerOut | SwipeluxErrorOut
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
body=body,
if_match=if_match,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    )).parsed
