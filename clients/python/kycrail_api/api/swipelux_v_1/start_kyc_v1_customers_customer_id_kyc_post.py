from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.swipelux_error_out import SwipeluxErrorOut
from ...models.verification_link_out import VerificationLinkOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    customer_id: str,
    *,
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
        "url": "/v1/customers/{customer_id}/kyc".format(customer_id=quote(str(customer_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SwipeluxErrorOut | VerificationLinkOut | None:
    if response.status_code == 200:
        response_200 = VerificationLinkOut.from_dict(response.json())



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

    if response.status_code == 409:
        response_409 = SwipeluxErrorOut.from_dict(response.json())



        return response_409

    if response.status_code == 410:
        response_410 = SwipeluxErrorOut.from_dict(response.json())



        return response_410

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[SwipeluxErrorOut | VerificationLinkOut]:
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
    idempotency_key: str | Unset = UNSET,

) -> Response[SwipeluxErrorOut | VerificationLinkOut]:
    """ Start KYC: a verification link

     A fresh link to SumSub's verification for a customer not verified elsewhere (a person, or a business
    at the KYB level). The first call creates the customer's SumSub applicant; every call gives a new
    link to the same applicant. SumSub's verdict reaches the customer by webhook.

    Args:
        customer_id (str):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxErrorOut | VerificationLinkOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
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
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> SwipeluxErrorOut | VerificationLinkOut | None:
    """ Start KYC: a verification link

     A fresh link to SumSub's verification for a customer not verified elsewhere (a person, or a business
    at the KYB level). The first call creates the customer's SumSub applicant; every call gives a new
    link to the same applicant. SumSub's verdict reaches the customer by webhook.

    Args:
        customer_id (str):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxErrorOut | VerificationLinkOut
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[SwipeluxErrorOut | VerificationLinkOut]:
    """ Start KYC: a verification link

     A fresh link to SumSub's verification for a customer not verified elsewhere (a person, or a business
    at the KYB level). The first call creates the customer's SumSub applicant; every call gives a new
    link to the same applicant. SumSub's verdict reaches the customer by webhook.

    Args:
        customer_id (str):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SwipeluxErrorOut | VerificationLinkOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
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
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> SwipeluxErrorOut | VerificationLinkOut | None:
    """ Start KYC: a verification link

     A fresh link to SumSub's verification for a customer not verified elsewhere (a person, or a business
    at the KYB level). The first call creates the customer's SumSub applicant; every call gives a new
    link to the same applicant. SumSub's verdict reaches the customer by webhook.

    Args:
        customer_id (str):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SwipeluxErrorOut | VerificationLinkOut
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    )).parsed
