from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.swipelux_error_out import SwipeluxErrorOut
from ...models.swipelux_event_list_out import SwipeluxEventListOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    customer_id: str,
    *,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    x_request_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id



    

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{customer_id}/events".format(customer_id=quote(str(customer_id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SwipeluxErrorOut | SwipeluxEventListOut | None:
    if response.status_code == 200:
        response_200 = SwipeluxEventListOut.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = SwipeluxErrorOut.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = SwipeluxErrorOut.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = SwipeluxErrorOut.from_dict(response.json())



        return response_404

    if response.status_code == 422:
        response_422 = SwipeluxErrorOut.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = SwipeluxErrorOut.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = SwipeluxErrorOut.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[SwipeluxErrorOut | SwipeluxEventListOut]:
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
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    x_request_id: str | Unset = UNSET,

) -> Response[SwipeluxErrorOut | SwipeluxEventListOut]:
    """ A customer's audit trail

     Every write, oldest first: who (key prefix and role), which request, what changed (field paths;
    personal values masked). Still readable after the customer is deleted.

    Args:
        customer_id (str):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxErrorOut | SwipeluxEventListOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
limit=limit,
offset=offset,
x_request_id=x_request_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    x_request_id: str | Unset = UNSET,

) -> SwipeluxErrorOut | SwipeluxEventListOut | None:
    """ A customer's audit trail

     Every write, oldest first: who (key prefix and role), which request, what changed (field paths;
    personal values masked). Still readable after the customer is deleted.

    Args:
        customer_id (str):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxErrorOut | SwipeluxEventListOut
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,
limit=limit,
offset=offset,
x_request_id=x_request_id,

    ).parsed

async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    x_request_id: str | Unset = UNSET,

) -> Response[SwipeluxErrorOut | SwipeluxEventListOut]:
    """ A customer's audit trail

     Every write, oldest first: who (key prefix and role), which request, what changed (field paths;
    personal values masked). Still readable after the customer is deleted.

    Args:
        customer_id (str):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxErrorOut | SwipeluxEventListOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
limit=limit,
offset=offset,
x_request_id=x_request_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    x_request_id: str | Unset = UNSET,

) -> SwipeluxErrorOut | SwipeluxEventListOut | None:
    """ A customer's audit trail

     Every write, oldest first: who (key prefix and role), which request, what changed (field paths;
    personal values masked). Still readable after the customer is deleted.

    Args:
        customer_id (str):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxErrorOut | SwipeluxEventListOut
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
limit=limit,
offset=offset,
x_request_id=x_request_id,

    )).parsed
