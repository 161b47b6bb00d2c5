from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.sphere_customer_out import SphereCustomerOut
from ...models.sphere_error_out import SphereErrorOut
from ...models.update_customer_in import UpdateCustomerIn
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    customer_id: str,
    *,
    body: UpdateCustomerIn,
    if_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v2/customer/{customer_id}".format(customer_id=quote(str(customer_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SphereCustomerOut | SphereErrorOut | None:
    if response.status_code == 200:
        response_200 = SphereCustomerOut.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = SphereErrorOut.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = SphereErrorOut.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = SphereErrorOut.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = SphereErrorOut.from_dict(response.json())



        return response_404

    if response.status_code == 408:
        response_408 = SphereErrorOut.from_dict(response.json())



        return response_408

    if response.status_code == 409:
        response_409 = SphereErrorOut.from_dict(response.json())



        return response_409

    if response.status_code == 410:
        response_410 = SphereErrorOut.from_dict(response.json())



        return response_410

    if response.status_code == 412:
        response_412 = SphereErrorOut.from_dict(response.json())



        return response_412

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[SphereCustomerOut | SphereErrorOut]:
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
    body: UpdateCustomerIn,
    if_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[SphereCustomerOut | SphereErrorOut]:
    """ Update a customer by ID

     Updates address, personal information and meta of an individual customer. Once a KYC review has been
    submitted, name, date of birth and tax identification are locked; contact details and meta stay
    editable. Business customers are updated through the KYB link flow.

    Args:
        customer_id (str):
        if_match (str | Unset): Apply the write only if the customer is still at one of these
            versions: its ETag (e.g. "3"), a list of them ("3", "4"), or * for any. A weak tag (W/"3")
            never matches a write. 412 when none matches; An empty list names no version (412). 400
            when the value is not a list of entity tags.
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (UpdateCustomerIn): PATCH body: every field optional; ``meta`` replaces the stored
            object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SphereCustomerOut | SphereErrorOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
body=body,
if_match=if_match,
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
    body: UpdateCustomerIn,
    if_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> SphereCustomerOut | SphereErrorOut | None:
    """ Update a customer by ID

     Updates address, personal information and meta of an individual customer. Once a KYC review has been
    submitted, name, date of birth and tax identification are locked; contact details and meta stay
    editable. Business customers are updated through the KYB link flow.

    Args:
        customer_id (str):
        if_match (str | Unset): Apply the write only if the customer is still at one of these
            versions: its ETag (e.g. "3"), a list of them ("3", "4"), or * for any. A weak tag (W/"3")
            never matches a write. 412 when none matches; An empty list names no version (412). 400
            when the value is not a list of entity tags.
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (UpdateCustomerIn): PATCH body: every field optional; ``meta`` replaces the stored
            object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SphereCustomerOut | SphereErrorOut
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,
body=body,
if_match=if_match,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateCustomerIn,
    if_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[SphereCustomerOut | SphereErrorOut]:
    """ Update a customer by ID

     Updates address, personal information and meta of an individual customer. Once a KYC review has been
    submitted, name, date of birth and tax identification are locked; contact details and meta stay
    editable. Business customers are updated through the KYB link flow.

    Args:
        customer_id (str):
        if_match (str | Unset): Apply the write only if the customer is still at one of these
            versions: its ETag (e.g. "3"), a list of them ("3", "4"), or * for any. A weak tag (W/"3")
            never matches a write. 412 when none matches; An empty list names no version (412). 400
            when the value is not a list of entity tags.
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (UpdateCustomerIn): PATCH body: every field optional; ``meta`` replaces the stored
            object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SphereCustomerOut | SphereErrorOut]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
body=body,
if_match=if_match,
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
    body: UpdateCustomerIn,
    if_match: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> SphereCustomerOut | SphereErrorOut | None:
    """ Update a customer by ID

     Updates address, personal information and meta of an individual customer. Once a KYC review has been
    submitted, name, date of birth and tax identification are locked; contact details and meta stay
    editable. Business customers are updated through the KYB link flow.

    Args:
        customer_id (str):
        if_match (str | Unset): Apply the write only if the customer is still at one of these
            versions: its ETag (e.g. "3"), a list of them ("3", "4"), or * for any. A weak tag (W/"3")
            never matches a write. 412 when none matches; An empty list names no version (412). 400
            when the value is not a list of entity tags.
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (UpdateCustomerIn): PATCH body: every field optional; ``meta`` replaces the stored
            object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SphereCustomerOut | SphereErrorOut
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
body=body,
if_match=if_match,
x_request_id=x_request_id,
idempotency_key=idempotency_key,

    )).parsed
