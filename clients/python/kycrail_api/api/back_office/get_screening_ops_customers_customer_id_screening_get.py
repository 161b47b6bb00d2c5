from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.screening_out import ScreeningOut
from ...models.sphere_error_out import SphereErrorOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    customer_id: str,
    *,
    x_request_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/ops/customers/{customer_id}/screening".format(customer_id=quote(str(customer_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ScreeningOut | SphereErrorOut | None:
    if response.status_code == 200:
        response_200 = ScreeningOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ScreeningOut | SphereErrorOut]:
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
    x_request_id: str | Unset = UNSET,

) -> Response[ScreeningOut | SphereErrorOut]:
    """ A customer's sanctions screening hits, each explained (reviewer keys only)

    Args:
        customer_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ScreeningOut | SphereErrorOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
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
    x_request_id: str | Unset = UNSET,

) -> ScreeningOut | SphereErrorOut | None:
    """ A customer's sanctions screening hits, each explained (reviewer keys only)

    Args:
        customer_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ScreeningOut | SphereErrorOut
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,
x_request_id=x_request_id,

    ).parsed

async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,

) -> Response[ScreeningOut | SphereErrorOut]:
    """ A customer's sanctions screening hits, each explained (reviewer keys only)

    Args:
        customer_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ScreeningOut | SphereErrorOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
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
    x_request_id: str | Unset = UNSET,

) -> ScreeningOut | SphereErrorOut | None:
    """ A customer's sanctions screening hits, each explained (reviewer keys only)

    Args:
        customer_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ScreeningOut | SphereErrorOut
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
x_request_id=x_request_id,

    )).parsed
