from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.swipelux_error_out import SwipeluxErrorOut
from ...models.swipelux_webhook_created_out import SwipeluxWebhookCreatedOut
from ...models.swipelux_webhook_in import SwipeluxWebhookIn
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: SwipeluxWebhookIn,
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
        "url": "/v1/webhooks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SwipeluxErrorOut | SwipeluxWebhookCreatedOut | None:
    if response.status_code == 201:
        response_201 = SwipeluxWebhookCreatedOut.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = SwipeluxErrorOut.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = SwipeluxErrorOut.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = SwipeluxErrorOut.from_dict(response.json())



        return response_403

    if response.status_code == 408:
        response_408 = SwipeluxErrorOut.from_dict(response.json())



        return response_408

    if response.status_code == 409:
        response_409 = SwipeluxErrorOut.from_dict(response.json())



        return response_409

    if response.status_code == 410:
        response_410 = SwipeluxErrorOut.from_dict(response.json())



        return response_410

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

    if response.status_code == 503:
        response_503 = SwipeluxErrorOut.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[SwipeluxErrorOut | SwipeluxWebhookCreatedOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SwipeluxWebhookIn,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[SwipeluxErrorOut | SwipeluxWebhookCreatedOut]:
    """ Register a webhook endpoint

     At most 10 per tenant. The URL must be https and reach a public address. The secret key is in this
    answer only.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (SwipeluxWebhookIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxErrorOut | SwipeluxWebhookCreatedOut]
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
    body: SwipeluxWebhookIn,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> SwipeluxErrorOut | SwipeluxWebhookCreatedOut | None:
    """ Register a webhook endpoint

     At most 10 per tenant. The URL must be https and reach a public address. The secret key is in this
    answer only.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (SwipeluxWebhookIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxErrorOut | SwipeluxWebhookCreatedOut
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
    body: SwipeluxWebhookIn,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[SwipeluxErrorOut | SwipeluxWebhookCreatedOut]:
    """ Register a webhook endpoint

     At most 10 per tenant. The URL must be https and reach a public address. The secret key is in this
    answer only.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (SwipeluxWebhookIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxErrorOut | SwipeluxWebhookCreatedOut]
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
    body: SwipeluxWebhookIn,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> SwipeluxErrorOut | SwipeluxWebhookCreatedOut | None:
    """ Register a webhook endpoint

     At most 10 per tenant. The URL must be https and reach a public address. The secret key is in this
    answer only.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (SwipeluxWebhookIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxErrorOut | SwipeluxWebhookCreatedOut
     """


    return (await asyncio_detailed(
        client=client,
body=body,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    )).parsed
