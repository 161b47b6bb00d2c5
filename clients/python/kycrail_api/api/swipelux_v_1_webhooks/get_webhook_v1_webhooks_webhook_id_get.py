from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.swipelux_error_out import SwipeluxErrorOut
from ...models.swipelux_webhook_out import SwipeluxWebhookOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    webhook_id: str,
    *,
    x_request_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhooks/{webhook_id}".format(webhook_id=quote(str(webhook_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SwipeluxErrorOut | SwipeluxWebhookOut | None:
    if response.status_code == 200:
        response_200 = SwipeluxWebhookOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[SwipeluxErrorOut | SwipeluxWebhookOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,

) -> Response[SwipeluxErrorOut | SwipeluxWebhookOut]:
    """ Get a webhook endpoint

    Args:
        webhook_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxErrorOut | SwipeluxWebhookOut]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
x_request_id=x_request_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,

) -> SwipeluxErrorOut | SwipeluxWebhookOut | None:
    """ Get a webhook endpoint

    Args:
        webhook_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxErrorOut | SwipeluxWebhookOut
     """


    return sync_detailed(
        webhook_id=webhook_id,
client=client,
x_request_id=x_request_id,

    ).parsed

async def asyncio_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,

) -> Response[SwipeluxErrorOut | SwipeluxWebhookOut]:
    """ Get a webhook endpoint

    Args:
        webhook_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxErrorOut | SwipeluxWebhookOut]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
x_request_id=x_request_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,

) -> SwipeluxErrorOut | SwipeluxWebhookOut | None:
    """ Get a webhook endpoint

    Args:
        webhook_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxErrorOut | SwipeluxWebhookOut
     """


    return (await asyncio_detailed(
        webhook_id=webhook_id,
client=client,
x_request_id=x_request_id,

    )).parsed
