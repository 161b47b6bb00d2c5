"""The SumSub HTTP client: one signed ``httpx.AsyncClient`` for the app's life, typed answers, typed errors.

Every request is signed over exactly what goes on the wire: the JSON body is serialised once and sent as
those bytes, and the signature covers the request's own raw path and query (docs/sumsub.md).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import httpx
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from kycrail.config import ImportMode, Settings
from kycrail.metrics.providers import OK, ProviderCalls
from kycrail.sumsub.applicant import Applicant, ImageResources, RequiredIdDocsStatus
from kycrail.sumsub.errors import (
    ApplicantExists,
    ApplicantNotFound,
    ProviderMisconfigured,
    ProviderUnavailable,
    ShareTokenInvalid,
    ShareTokenRejected,
    SumsubError,
    redact_tokens,
)
from kycrail.sumsub.signing import signed_headers

log = logging.getLogger("kycrail.sumsub")


class _RedactShareTokens(logging.Filter):
    """httpx logs every request's full URL at INFO, and an import's URL carries the share token."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_tokens(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted_arg(arg) for arg in record.args)
        return True


def _redacted_arg(arg: object) -> object:
    # Only arguments that held a token become strings: a number may be formatted with %d.
    text = str(arg)
    redacted = redact_tokens(text)
    return arg if redacted == text else redacted


logging.getLogger("httpx").addFilter(_RedactShareTokens())

T = TypeVar("T")

# GETs only: a POST may have acted before failing, and an import POST uses up a single-use token.
MAX_GET_RETRIES = 2
# SumSub says a token is at most 1 KB: anything longer (or empty) is refused before it is sent.
MAX_SHARE_TOKEN_LENGTH = 1024
INVALID_SHARE_TOKEN = 10503
# 105xx: the token was read but the donor's verification cannot be reused (10503 aside, see above).
_SHARE_TOKEN_CODES = range(10500, 10600)
# A call's outcome in the metrics (kycrail_provider_calls_total): ok, or the kind of its error.
_OUTCOMES: tuple[tuple[type[SumsubError], str], ...] = (
    (ProviderUnavailable, "unavailable"),
    (ProviderMisconfigured, "misconfigured"),
    (ShareTokenInvalid, "share_token_invalid"),
    (ShareTokenRejected, "share_token_rejected"),
    (ApplicantNotFound, "not_found"),
    (ApplicantExists, "exists"),
)


def outcome_of(error: SumsubError) -> str:
    return next((outcome for kind, outcome in _OUTCOMES if isinstance(error, kind)), "error")


class _ErrorBody(BaseModel):
    """SumSub's error shape, read leniently: a proxy's HTML page reads as all None."""

    model_config = ConfigDict(extra="ignore")

    description: str | None = None
    correlationId: str | None = None
    errorCode: int | None = None
    errorName: str | None = None
    type: str | None = None


def body_reader(adapter: TypeAdapter[T]) -> Callable[[httpx.Response], T]:
    """A reader of a 2xx body; a body that is not the expected JSON means SumSub is not itself."""

    def read(response: httpx.Response) -> T:
        try:
            return adapter.validate_json(response.content)
        except ValidationError as exc:
            # Only the locations: pydantic's message would quote the (personal) input.
            where = sorted({".".join(str(part) for part in error["loc"]) or "body" for error in exc.errors()})
            log.warning("SumSub answered a body we could not read at %s", ", ".join(where))
            raise ProviderUnavailable("SumSub answered a body we could not read") from None

    return read


_APPLICANT = body_reader(TypeAdapter(Applicant))
_REQUIRED_ID_DOCS = body_reader(TypeAdapter(RequiredIdDocsStatus))
_IMAGE_RESOURCES = body_reader(TypeAdapter(ImageResources))


def _image_bytes(response: httpx.Response) -> bytes:
    """An image's bytes as SumSub answers them (the caller checks what they are)."""
    return response.content


class _WebsdkLink(BaseModel):
    model_config = ConfigDict(extra="ignore")

    url: str = Field(min_length=1, max_length=2048)


_WEBSDK_LINK = body_reader(TypeAdapter(_WebsdkLink))


class _Ok(BaseModel):
    """SumSub's answer to an action: ``{"ok": 1}``."""

    model_config = ConfigDict(extra="ignore")

    ok: int


_OK = body_reader(TypeAdapter(_Ok))


def _read_error_body(response: httpx.Response) -> _ErrorBody:
    try:
        return _ErrorBody.model_validate_json(response.content)
    except ValidationError:
        return _ErrorBody()


def _is_about_share_token(body: _ErrorBody) -> bool:
    # The expired-token answer is a 401 ServiceException "Token is invalid: Token _act-... is invalid
    # now ...", with no errorCode. Our own credential errors carry 40xx codes. Anything less specific
    # is read as a credentials problem: telling a person their token is bad when ours is would mislead.
    description = (body.description or "").lower()
    return body.errorCode is None and description.startswith("token is invalid")


def map_error(
    response: httpx.Response, *, share_token_call: bool, lookup: bool, creating: bool = False
) -> SumsubError:
    """The typed error for a non-2xx answer. ``lookup``: a 404 means the applicant does not exist;
    ``creating``: a 409 means it exists already."""
    status = response.status_code
    body = _read_error_body(response)
    context: dict[str, Any] = {
        "status": status,
        "error_code": body.errorCode,
        "error_name": body.errorName,
        "correlation_id": body.correlationId,
    }
    if status >= 500 or status == 429:
        return ProviderUnavailable(f"SumSub answered HTTP {status}", **context)
    if share_token_call:
        if status == 400 and body.errorCode == INVALID_SHARE_TOKEN:
            return ShareTokenInvalid(**context)
        if status == 400 and body.errorCode in _SHARE_TOKEN_CODES:
            reason = body.description or body.errorName or "the verification cannot be reused"
            return ShareTokenRejected(reason, **context)
        if status == 401 and _is_about_share_token(body):
            return ShareTokenInvalid(**context)
    if status in (401, 403):
        return ProviderMisconfigured(**context)
    if status == 404 and lookup:
        return ApplicantNotFound(**context)
    if status == 409 and creating:
        return ApplicantExists(**context)
    return SumsubError(f"SumSub answered HTTP {status}", **context)


class SumsubClient:
    """Holds one connection pool: create it at start-up, ``aclose()`` it at shutdown."""

    def __init__(
        self,
        base_url: str,
        app_token: str,
        secret_key: str,
        timeout_seconds: float,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        retry_backoff_seconds: float = 0.25,
    ) -> None:
        self._app_token = app_token
        self._secret_key = secret_key
        self._timeout_seconds = timeout_seconds
        self._clock = clock
        self._retry_backoff_seconds = retry_backoff_seconds
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_seconds),
            transport=transport,
            headers={"Accept": "application/json"},
        )
        self._calls = ProviderCalls("sumsub")

    async def __aenter__(self) -> SumsubClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- recipient side: import a share token ---------------------------------------------------

    async def import_share_token(self, share_token: str, *, mode: ImportMode, level_name: str) -> Applicant:
        """Import the person a share token points at; the answer is OUR new applicant.

        Never retried: the token is single-use, and a failed attempt may already have used it.
        """
        if not share_token or len(share_token) > MAX_SHARE_TOKEN_LENGTH:
            raise ShareTokenInvalid("SumSub share token is empty or longer than 1 KB")
        if mode is ImportMode.reuse:
            path = "/resources/api/reusableIdentity/reuse"
            query = {"shareToken": share_token, "levelName": level_name}
        else:
            path = "/resources/applicants/-/import"
            query = {"shareToken": share_token}
        return await self._request(
            "POST", path, _APPLICANT, query=query, share_token_call=True, operation="import_share_token"
        )

    # --- applicant reads -----------------------------------------------------------------------

    async def get_applicant(self, applicant_id: str) -> Applicant:
        path = f"{applicant_path(applicant_id)}/one"
        return await self._request("GET", path, _APPLICANT, lookup=True, operation="get_applicant")

    async def get_applicant_by_external_id(self, external_user_id: str) -> Applicant:
        path = f"/resources/applicants/-;externalUserId={quote(external_user_id, safe='')}/one"
        return await self._request(
            "GET", path, _APPLICANT, lookup=True, operation="get_applicant_by_external_id"
        )

    async def get_required_id_docs_status(self, applicant_id: str) -> RequiredIdDocsStatus:
        path = f"{applicant_path(applicant_id)}/requiredIdDocsStatus"
        return await self._request(
            "GET", path, _REQUIRED_ID_DOCS, lookup=True, operation="required_documents"
        )

    async def get_image_resources(self, applicant_id: str) -> ImageResources:
        """The images the applicant's documents were uploaded with (``GET .../metadata/resources``)."""
        path = f"{applicant_path(applicant_id)}/metadata/resources"
        return await self._request("GET", path, _IMAGE_RESOURCES, lookup=True, operation="image_resources")

    async def get_image(self, inspection_id: str, image_id: str) -> bytes:
        """One image's bytes, by the applicant's inspection id (``GET /resources/inspections/...``)."""
        path = f"/resources/inspections/{quote(inspection_id, safe='')}/resources/{quote(image_id, safe='')}"
        return await self._request("GET", path, _image_bytes, lookup=True, operation="image")

    # --- verification links: our own applicant, and a WebSDK link to it ---------------------------

    async def create_applicant(
        self,
        *,
        external_user_id: str,
        level_name: str,
        applicant_type: str,
        fixed_info: Mapping[str, Any],
        email: str | None = None,
        phone: str | None = None,
    ) -> Applicant:
        """Our applicant for ``external_user_id``; ``ApplicantExists`` when it has one already. Never
        retried (a POST): a failed attempt may have created it, and the next one then finds it."""
        body: dict[str, Any] = {"externalUserId": external_user_id, "type": applicant_type}
        if fixed_info:
            body["fixedInfo"] = dict(fixed_info)
        if email:
            body["email"] = email
        if phone:
            body["phone"] = phone
        query = {"levelName": level_name}
        return await self._request(
            "POST",
            "/resources/applicants",
            _APPLICANT,
            query=query,
            json_body=body,
            creating=True,
            operation="create_applicant",
        )

    async def websdk_link(self, *, level_name: str, user_id: str, ttl_seconds: int) -> str:
        """A link that opens SumSub's WebSDK for the applicant of ``user_id`` (its external user id)."""
        body = {"levelName": level_name, "userId": user_id, "ttlInSecs": ttl_seconds}
        path = "/resources/sdkIntegrations/levels/-/websdkLink"
        return (await self._request("POST", path, _WEBSDK_LINK, json_body=body, operation="websdk_link")).url

    async def reset_step(self, applicant_id: str, id_doc_set_type: str) -> None:
        """SumSub's ``resetStep``: the applicant's step (``IDENTITY``, ``SELFIE``...) is deactivated, so
        that its WebSDK takes it again. Never retried (a POST); ``ApplicantNotFound`` for an unknown
        applicant."""
        path = f"{applicant_path(applicant_id)}/resetStep/{quote(id_doc_set_type, safe='')}"
        await self._request("POST", path, _OK, lookup=True, operation="reset_step")

    # --- plumbing -------------------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        read: Callable[[httpx.Response], T],
        *,
        query: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
        share_token_call: bool = False,
        lookup: bool = False,
        creating: bool = False,
        operation: str = "other",
    ) -> T:
        """Send, retrying GETs (a body we cannot ``read`` counts as a failure worth a retry); each
        attempt counted under ``operation`` (the metrics' name for what it does) with its outcome."""
        # Serialised once: these exact bytes are both signed and sent.
        body = json.dumps(json_body, separators=(",", ":")).encode() if json_body is not None else b""
        # Built here, not by httpx's params=, so the query we sign is the query we send.
        url = f"{path}?{urlencode(query)}" if query else path
        attempts = 1 + (MAX_GET_RETRIES if method == "GET" else 0)
        for attempt in range(1, attempts + 1):
            try:
                answer = read(await self._send_once(method, url, body, share_token_call, lookup, creating))
            except SumsubError as error:
                self._calls.count(operation, outcome_of(error))
                if not isinstance(error, ProviderUnavailable):
                    raise
                # `path` never carries a share token (it travels in the query), so it is safe to log.
                if attempt == attempts:
                    log.warning("SumSub %s %s failed for good: %s", method, path, error)
                    raise
                log.info("SumSub %s %s failed, retrying (%d/%d): %s", method, path, attempt, attempts, error)
                await asyncio.sleep(self._retry_backoff_seconds * 2 ** (attempt - 1))
            else:
                self._calls.count(operation, OK)
                return answer
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send_once(
        self, method: str, url: str, body: bytes, share_token_call: bool, lookup: bool, creating: bool
    ) -> httpx.Response:
        request = self._http.build_request(method, url, content=body or None)
        if body:
            request.headers["Content-Type"] = "application/json"
        # The signature covers the request line's target exactly as httpx will write it.
        path_with_query = request.url.raw_path.decode("ascii")
        request.headers.update(
            signed_headers(
                self._app_token, self._secret_key, method, path_with_query, body, int(self._clock())
            )
        )
        try:
            # httpx's timeouts bound each network step; this bounds the whole exchange (and also
            # applies to in-process transports, which ignore httpx's timeouts).
            async with asyncio.timeout(self._timeout_seconds):
                response = await self._http.send(request)
        except TimeoutError:
            raise ProviderUnavailable("SumSub did not answer in time") from None
        except httpx.RequestError as exc:
            # `from None`: httpx's exceptions hold the request, whose URL may carry a share token.
            raise ProviderUnavailable(f"SumSub unreachable: {type(exc).__name__}") from None
        if response.is_success:
            return response
        error = map_error(response, share_token_call=share_token_call, lookup=lookup, creating=creating)
        if not isinstance(error, ProviderUnavailable):
            log.warning("SumSub %s answered: %s", method, error)
        raise error


def applicant_path(applicant_id: str) -> str:
    return f"/resources/applicants/{quote(applicant_id, safe='')}"


def client_from_settings(
    settings: Settings, transport: httpx.AsyncBaseTransport | None = None
) -> SumsubClient | None:
    """The app's client, or None when SumSub credentials are not configured."""
    app_token = settings.sumsub_app_token.get_secret_value() if settings.sumsub_app_token else ""
    secret_key = settings.sumsub_secret_key.get_secret_value() if settings.sumsub_secret_key else ""
    if not app_token or not secret_key:
        return None
    return SumsubClient(
        settings.sumsub_base_url,
        app_token,
        secret_key,
        settings.sumsub_timeout_seconds,
        transport=transport,
    )
