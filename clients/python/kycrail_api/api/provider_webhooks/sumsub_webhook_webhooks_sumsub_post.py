from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.sphere_error_out import SphereErrorOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    x_request_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/webhooks/sumsub",
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | SphereErrorOut | None:
    if response.status_code == 200:
        response_200 = response.json()
        return response_200

    if response.status_code == 400:
        response_400 = SphereErrorOut.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = SphereErrorOut.from_dict(response.json())



        return response_401

    if response.status_code == 408:
        response_408 = SphereErrorOut.from_dict(response.json())



        return response_408

    if response.status_code == 413:
        response_413 = SphereErrorOut.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = SphereErrorOut.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = SphereErrorOut.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | SphereErrorOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,

) -> Response[Any | SphereErrorOut]:
    """ SumSub's webhooks (no API key: signed by SumSub)

     Point SumSub's webhook here (`applicantCreated`, `applicantPending`, `applicantReviewed`,
    `applicantOnHold`, `applicantReset`, ...). The `X-Payload-Digest` must be the body's HMAC under
    `KYCRAIL_SUMSUB_WEBHOOK_SECRET` (`X-Payload-Digest-Alg`: `HMAC_SHA256_HEX`, `HMAC_SHA512_HEX` or
    `HMAC_SHA1_HEX`); otherwise 401 and nothing is done. kycrail then reads the applicant from SumSub
    and applies its current state to the customer.

    Args:
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | SphereErrorOut]
     """


    kwargs = _get_kwargs(
        x_request_id=x_request_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,

) -> Any | SphereErrorOut | None:
    """ SumSub's webhooks (no API key: signed by SumSub)

     Point SumSub's webhook here (`applicantCreated`, `applicantPending`, `applicantReviewed`,
    `applicantOnHold`, `applicantReset`, ...). The `X-Payload-Digest` must be the body's HMAC under
    `KYCRAIL_SUMSUB_WEBHOOK_SECRET` (`X-Payload-Digest-Alg`: `HMAC_SHA256_HEX`, `HMAC_SHA512_HEX` or
    `HMAC_SHA1_HEX`); otherwise 401 and nothing is done. kycrail then reads the applicant from SumSub
    and applies its current state to the customer.

    Args:
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | SphereErrorOut
     """


    return sync_detailed(
        client=client,
x_request_id=x_request_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,

) -> Response[Any | SphereErrorOut]:
    """ SumSub's webhooks (no API key: signed by SumSub)

     Point SumSub's webhook here (`applicantCreated`, `applicantPending`, `applicantReviewed`,
    `applicantOnHold`, `applicantReset`, ...). The `X-Payload-Digest` must be the body's HMAC under
    `KYCRAIL_SUMSUB_WEBHOOK_SECRET` (`X-Payload-Digest-Alg`: `HMAC_SHA256_HEX`, `HMAC_SHA512_HEX` or
    `HMAC_SHA1_HEX`); otherwise 401 and nothing is done. kycrail then reads the applicant from SumSub
    and applies its current state to the customer.

    Args:
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | SphereErrorOut]
     """


    kwargs = _get_kwargs(
        x_request_id=x_request_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,

) -> Any | SphereErrorOut | None:
    """ SumSub's webhooks (no API key: signed by SumSub)

     Point SumSub's webhook here (`applicantCreated`, `applicantPending`, `applicantReviewed`,
    `applicantOnHold`, `applicantReset`, ...). The `X-Payload-Digest` must be the body's HMAC under
    `KYCRAIL_SUMSUB_WEBHOOK_SECRET` (`X-Payload-Digest-Alg`: `HMAC_SHA256_HEX`, `HMAC_SHA512_HEX` or
    `HMAC_SHA1_HEX`); otherwise 401 and nothing is done. kycrail then reads the applicant from SumSub
    and applies its current state to the customer.

    Args:
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | SphereErrorOut
     """


    return (await asyncio_detailed(
        client=client,
x_request_id=x_request_id,

    )).parsed
