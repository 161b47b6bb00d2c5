from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.swipelux_customer_out import SwipeluxCustomerOut
from ...models.swipelux_error_out import SwipeluxErrorOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    customer_id: str,
    *,
    if_none_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{customer_id}".format(customer_id=quote(str(customer_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | SwipeluxCustomerOut | SwipeluxErrorOut | None:
    if response.status_code == 200:
        response_200 = SwipeluxCustomerOut.from_dict(response.json())



        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | SwipeluxCustomerOut | SwipeluxErrorOut]:
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
    if_none_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> Response[Any | SwipeluxCustomerOut | SwipeluxErrorOut]:
    """ Get a customer

    Args:
        customer_id (str):
        if_none_match (str | Unset): Answer 304 Not Modified, without a body, if the customer is
            still at a version this names (its ETag, weak or strong, a list of them, or *). An empty
            list names none.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | SwipeluxCustomerOut | SwipeluxErrorOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
if_none_match=if_none_match,
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
    if_none_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> Any | SwipeluxCustomerOut | SwipeluxErrorOut | None:
    """ Get a customer

    Args:
        customer_id (str):
        if_none_match (str | Unset): Answer 304 Not Modified, without a body, if the customer is
            still at a version this names (its ETag, weak or strong, a list of them, or *). An empty
            list names none.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | SwipeluxCustomerOut | SwipeluxErrorOut
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,
if_none_match=if_none_match,
x_request_id=x_request_id,

    ).parsed

async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> Response[Any | SwipeluxCustomerOut | SwipeluxErrorOut]:
    """ Get a customer

    Args:
        customer_id (str):
        if_none_match (str | Unset): Answer 304 Not Modified, without a body, if the customer is
            still at a version this names (its ETag, weak or strong, a list of them, or *). An empty
            list names none.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | SwipeluxCustomerOut | SwipeluxErrorOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
if_none_match=if_none_match,
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
    if_none_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> Any | SwipeluxCustomerOut | SwipeluxErrorOut | None:
    """ Get a customer

    Args:
        customer_id (str):
        if_none_match (str | Unset): Answer 304 Not Modified, without a body, if the customer is
            still at a version this names (its ETag, weak or strong, a list of them, or *). An empty
            list names none.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | SwipeluxCustomerOut | SwipeluxErrorOut
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
if_none_match=if_none_match,
x_request_id=x_request_id,

    )).parsed
