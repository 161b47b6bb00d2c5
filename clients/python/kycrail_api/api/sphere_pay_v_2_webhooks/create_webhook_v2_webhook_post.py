from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.sphere_error_out import SphereErrorOut
from ...models.sphere_webhook_created_out import SphereWebhookCreatedOut
from ...models.sphere_webhook_in import SphereWebhookIn
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: SphereWebhookIn,
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
        "url": "/v2/webhook",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SphereErrorOut | SphereWebhookCreatedOut | None:
    if response.status_code == 201:
        response_201 = SphereWebhookCreatedOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[SphereErrorOut | SphereWebhookCreatedOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SphereWebhookIn,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[SphereErrorOut | SphereWebhookCreatedOut]:
    """ Register a webhook endpoint

     At most 10 per tenant. The URL must be https and reach a public address. The secret is in this
    answer only.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (SphereWebhookIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SphereErrorOut | SphereWebhookCreatedOut]
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
    body: SphereWebhookIn,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> SphereErrorOut | SphereWebhookCreatedOut | None:
    """ Register a webhook endpoint

     At most 10 per tenant. The URL must be https and reach a public address. The secret is in this
    answer only.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (SphereWebhookIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SphereErrorOut | SphereWebhookCreatedOut
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
    body: SphereWebhookIn,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[SphereErrorOut | SphereWebhookCreatedOut]:
    """ Register a webhook endpoint

     At most 10 per tenant. The URL must be https and reach a public address. The secret is in this
    answer only.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (SphereWebhookIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SphereErrorOut | SphereWebhookCreatedOut]
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
    body: SphereWebhookIn,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> SphereErrorOut | SphereWebhookCreatedOut | None:
    """ Register a webhook endpoint

     At most 10 per tenant. The URL must be https and reach a public address. The secret is in this
    answer only.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (SphereWebhookIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SphereErrorOut | SphereWebhookCreatedOut
     """


    return (await asyncio_detailed(
        client=client,
body=body,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    )).parsed
