from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.customer_type import CustomerType
from ...models.swipelux_customer_list_out import SwipeluxCustomerListOut
from ...models.swipelux_error_out import SwipeluxErrorOut
from ...models.swipelux_status import SwipeluxStatus
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    email: None | str | Unset = UNSET,
    type_: CustomerType | None | Unset = UNSET,
    status: None | SwipeluxStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id



    

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    json_email: None | str | Unset
    if isinstance(email, Unset):
        json_email = UNSET
    else:
        json_email = email
    params["email"] = json_email

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, CustomerType):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, SwipeluxStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SwipeluxCustomerListOut | SwipeluxErrorOut | None:
    if response.status_code == 200:
        response_200 = SwipeluxCustomerListOut.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = SwipeluxErrorOut.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = SwipeluxErrorOut.from_dict(response.json())



        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[SwipeluxCustomerListOut | SwipeluxErrorOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    email: None | str | Unset = UNSET,
    type_: CustomerType | None | Unset = UNSET,
    status: None | SwipeluxStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> Response[SwipeluxCustomerListOut | SwipeluxErrorOut]:
    """ List customers

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        email (None | str | Unset):
        type_ (CustomerType | None | Unset):
        status (None | SwipeluxStatus | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxCustomerListOut | SwipeluxErrorOut]
     """


    kwargs = _get_kwargs(
        limit=limit,
offset=offset,
email=email,
type_=type_,
status=status,
x_request_id=x_request_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    email: None | str | Unset = UNSET,
    type_: CustomerType | None | Unset = UNSET,
    status: None | SwipeluxStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> SwipeluxCustomerListOut | SwipeluxErrorOut | None:
    """ List customers

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        email (None | str | Unset):
        type_ (CustomerType | None | Unset):
        status (None | SwipeluxStatus | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxCustomerListOut | SwipeluxErrorOut
     """


    return sync_detailed(
        client=client,
limit=limit,
offset=offset,
email=email,
type_=type_,
status=status,
x_request_id=x_request_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    email: None | str | Unset = UNSET,
    type_: CustomerType | None | Unset = UNSET,
    status: None | SwipeluxStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> Response[SwipeluxCustomerListOut | SwipeluxErrorOut]:
    """ List customers

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        email (None | str | Unset):
        type_ (CustomerType | None | Unset):
        status (None | SwipeluxStatus | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxCustomerListOut | SwipeluxErrorOut]
     """


    kwargs = _get_kwargs(
        limit=limit,
offset=offset,
email=email,
type_=type_,
status=status,
x_request_id=x_request_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    email: None | str | Unset = UNSET,
    type_: CustomerType | None | Unset = UNSET,
    status: None | SwipeluxStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> SwipeluxCustomerListOut | SwipeluxErrorOut | None:
    """ List customers

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        email (None | str | Unset):
        type_ (CustomerType | None | Unset):
        status (None | SwipeluxStatus | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxCustomerListOut | SwipeluxErrorOut
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
offset=offset,
email=email,
type_=type_,
status=status,
x_request_id=x_request_id,

    )).parsed
