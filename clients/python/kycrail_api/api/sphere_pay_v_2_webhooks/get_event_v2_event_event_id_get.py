from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.sphere_error_out import SphereErrorOut
from ...models.sphere_webhook_event_out import SphereWebhookEventOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    event_id: str,
    *,
    x_request_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/event/{event_id}".format(event_id=quote(str(event_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SphereErrorOut | SphereWebhookEventOut | None:
    if response.status_code == 200:
        response_200 = SphereWebhookEventOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[SphereErrorOut | SphereWebhookEventOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,

) -> Response[SphereErrorOut | SphereWebhookEventOut]:
    """ Get an event

     One event as webhooks deliver it: `{id, name, createdAt, data}`, the customer as that write left it.
    An erased customer's events are gone.

    Args:
        event_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SphereErrorOut | SphereWebhookEventOut]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
x_request_id=x_request_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    event_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,

) -> SphereErrorOut | SphereWebhookEventOut | None:
    """ Get an event

     One event as webhooks deliver it: `{id, name, createdAt, data}`, the customer as that write left it.
    An erased customer's events are gone.

    Args:
        event_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SphereErrorOut | SphereWebhookEventOut
     """


    return sync_detailed(
        event_id=event_id,
client=client,
x_request_id=x_request_id,

    ).parsed

async def asyncio_detailed(
    event_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,

) -> Response[SphereErrorOut | SphereWebhookEventOut]:
    """ Get an event

     One event as webhooks deliver it: `{id, name, createdAt, data}`, the customer as that write left it.
    An erased customer's events are gone.

    Args:
        event_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SphereErrorOut | SphereWebhookEventOut]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
x_request_id=x_request_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    event_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,

) -> SphereErrorOut | SphereWebhookEventOut | None:
    """ Get an event

     One event as webhooks deliver it: `{id, name, createdAt, data}`, the customer as that write left it.
    An erased customer's events are gone.

    Args:
        event_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SphereErrorOut | SphereWebhookEventOut
     """


    return (await asyncio_detailed(
        event_id=event_id,
client=client,
x_request_id=x_request_id,

    )).parsed
