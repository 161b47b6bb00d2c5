"""A sandbox of the SumSub endpoints kycrail uses, as one small ASGI app.

Faithful where kycrail depends on it (docs/sumsub.md): real signature checks, single-use share
tokens with TTLs, SumSub's error shapes and codes, seeded donor applicants. All state lives in memory in
the ``Emulator`` instance. Tests and ``kycrail serve --sandbox`` reach it through
``httpx.ASGITransport(app=emulator)``; ``kycrail sandbox sumsub`` serves it alone over HTTP.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from kycrail.sumsub.signing import APP_TOKEN_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

JsonObject = dict[str, Any]

TIMESTAMP_TOLERANCE_SECONDS = 60
DEFAULT_SHARE_TOKEN_TTL_SECONDS = 1200
MAX_SHARE_TOKEN_TTL_SECONDS = 1200
SHARE_TOKEN_PREFIX = "_act-jwt-"  # noqa: S105 (a prefix, not a secret)
SERVICE_EXCEPTION = "de.smtdp.commons.service.exceptions.ServiceException"
DONOR_CLIENT_ID = "sandbox-donor-company"
DONOR_LEVEL_NAME = "basic-kyc-level"


@dataclass
class Knobs:
    """Failure injection; counters apply to the next N requests (the knobs endpoint excepted)."""

    latency_seconds: float = 0.0
    fail_with_5xx: int = 0
    malformed_bodies: int = 0


@dataclass
class _ShareToken:
    applicant_id: str
    for_client_id: str
    created_at: float
    ttl_seconds: int
    used: bool = False


class _Fail(Exception):
    """Raised by a handler, answered in SumSub's error shape."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        error_code: int | None = None,
        error_name: str | None = None,
        service_exception: bool = False,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.error_code = error_code
        self.error_name = error_name
        self.service_exception = service_exception

    def response(self) -> Response:
        body: JsonObject = {
            "description": self.description,
            "code": self.status,
            "correlationId": secrets.token_hex(16),
        }
        if self.error_code is not None:
            body["errorCode"] = self.error_code
            body["errorName"] = self.error_name
        if self.service_exception:
            body["type"] = SERVICE_EXCEPTION
        return JSONResponse(body, status_code=self.status)


def _invalid_share_token() -> _Fail:
    return _Fail(400, "Share token is invalid", error_code=10503, error_name="invalid-share-token")


def _stable_id(kind: str, key: str) -> str:
    """24 characters of digits and lower-case letters, like SumSub's ids; the same for the same seed."""
    return hashlib.sha256(f"kycrail-sandbox:{kind}:{key}".encode()).hexdigest()[:24]


def _sumsub_time(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M:%S")


# --- seeded donors ---------------------------------------------------------------------------------


def _step(doc_type: str, answer: str | None, **result: Any) -> JsonObject:
    step: JsonObject = {"idDocType": doc_type, "imageIds": [int(_stable_id("image", doc_type)[:9], 16)]}
    if answer is not None:
        step["reviewResult"] = {"reviewAnswer": answer, **result}
    return step


def _review(status: str, result: JsonObject | None) -> JsonObject:
    review: JsonObject = {
        "levelName": DONOR_LEVEL_NAME,
        "createDate": "2025-01-15 10:02:11+0000",
        "reviewStatus": status,
    }
    if result is not None:
        review["reviewDate"] = "2025-01-15 10:05:42+0000"
        review["reviewResult"] = result
    return review


def _seed(
    external_user_id: str,
    *,
    email: str,
    phone: str | None,
    info: JsonObject,
    review: JsonObject,
    required_id_docs_status: JsonObject,
) -> tuple[JsonObject, JsonObject]:
    # fixedInfo: what the person typed in; info: what was read from the documents (same facts here).
    fixed_info = {
        key: value for key, value in info.items() if key not in ("idDocs", "firstNameEn", "lastNameEn")
    }
    applicant: JsonObject = {
        "id": _stable_id("applicant", external_user_id),
        "createdAt": "2025-01-15 10:00:00",
        "clientId": DONOR_CLIENT_ID,
        "inspectionId": _stable_id("inspection", external_user_id),
        "externalUserId": external_user_id,
        "email": email,
        "lang": "en",
        "type": "individual",
        "info": info,
        "fixedInfo": fixed_info,
        "requiredIdDocs": {
            "docSets": [
                {"idDocSetType": "IDENTITY", "types": ["PASSPORT", "ID_CARD", "DRIVERS"]},
                {"idDocSetType": "SELFIE", "types": ["SELFIE"]},
            ]
        },
        "review": review,
    }
    if phone is not None:
        applicant["phone"] = phone
    return applicant, required_id_docs_status


def _id_doc(doc_type: str, first: str, last: str, dob: str, number: str) -> JsonObject:
    return {
        "idDocType": doc_type,
        "country": "USA",
        "firstName": first.upper(),
        "lastName": last.upper(),
        "number": number,
        "dob": dob,
        "issuedDate": "2021-06-15",
        "validUntil": "2031-06-14",
    }


def _person(
    first: str, last: str, dob: str, gender: str, doc_type: str, number: str, **more: Any
) -> JsonObject:
    return {
        "firstName": first,
        "lastName": last,
        "firstNameEn": first,
        "lastNameEn": last,
        "dob": dob,
        "gender": gender,
        "country": "USA",
        **more,
        "idDocs": [_id_doc(doc_type, first, last, dob, number)],
    }


def seeded_donors() -> list[tuple[JsonObject, JsonObject]]:
    """(applicant, requiredIdDocsStatus) of each donor: fresh copies, safe to mutate."""
    green = {"reviewAnswer": "GREEN"}
    return [
        _seed(
            "sandbox-approved",
            email="emily.carter@example.com",
            phone="+14155550100",
            info=_person(
                "Emily",
                "Carter",
                "1990-04-12",
                "F",
                "PASSPORT",
                "561234567",
                middleName="Rose",
                middleNameEn="Rose",
                placeOfBirth="Sacramento",
                countryOfBirth="USA",
                nationality="USA",
                tin="536-22-1234",
                phone="+14155550100",
                addresses=[
                    {
                        "country": "USA",
                        "state": "CA",
                        "town": "San Francisco",
                        "postCode": "94105",
                        "street": "1 Market Street",
                        "subStreet": "Apt 4B",
                    }
                ],
            ),
            review=_review("completed", green),
            required_id_docs_status={
                "IDENTITY": _step("PASSPORT", "GREEN"),
                "SELFIE": _step("SELFIE", "GREEN"),
            },
        ),
        # What reusable KYC often carries: name, date of birth, identity document, selfie; nothing else.
        _seed(
            "sandbox-partial",
            email="daniel.okafor@example.com",
            phone=None,
            info=_person("Daniel", "Okafor", "1985-11-03", "M", "ID_CARD", "D4821937"),
            review=_review("completed", green),
            required_id_docs_status={
                "IDENTITY": _step("ID_CARD", "GREEN"),
                "SELFIE": _step("SELFIE", "GREEN"),
            },
        ),
        _seed(
            "sandbox-rejected-final",
            email="victor.hale@example.com",
            phone="+12025550143",
            info=_person("Victor", "Hale", "1979-02-20", "M", "PASSPORT", "548812093", nationality="USA"),
            review=_review(
                "completed",
                {
                    "reviewAnswer": "RED",
                    "reviewRejectType": "FINAL",
                    "rejectLabels": ["FORGERY", "SELFIE_MISMATCH"],
                    "moderationComment": "We could not verify your identity.",
                    "clientComment": "The passport shows signs of tampering; the selfie does not match.",
                },
            ),
            required_id_docs_status={
                "IDENTITY": _step("PASSPORT", "RED", reviewRejectType="FINAL", rejectLabels=["FORGERY"]),
                "SELFIE": _step("SELFIE", "RED", reviewRejectType="FINAL", rejectLabels=["SELFIE_MISMATCH"]),
            },
        ),
        _seed(
            "sandbox-rejected-retry",
            email="grace.lin@example.com",
            phone="+16505550123",
            info=_person("Grace", "Lin", "1995-07-08", "F", "DRIVERS", "F2281734", nationality="USA"),
            review=_review(
                "completed",
                {
                    "reviewAnswer": "RED",
                    "reviewRejectType": "RETRY",
                    "rejectLabels": ["UNSATISFACTORY_PHOTOS"],
                    "moderationComment": "The photo of your document is blurry. Please upload a sharper one.",
                },
            ),
            required_id_docs_status={
                "IDENTITY": _step(
                    "DRIVERS", "RED", reviewRejectType="RETRY", rejectLabels=["UNSATISFACTORY_PHOTOS"]
                ),
                "SELFIE": _step("SELFIE", "GREEN"),
            },
        ),
        _seed(
            "sandbox-pending",
            email="noah.bennett@example.com",
            phone="+14155552671",
            info=_person("Noah", "Bennett", "1988-12-01", "M", "PASSPORT", "530071846", nationality="USA"),
            review=_review("pending", None),
            required_id_docs_status={
                "IDENTITY": _step("PASSPORT", None),
                "SELFIE": _step("SELFIE", None),
            },
        ),
    ]


# --- the app ---------------------------------------------------------------------------------------


class Emulator:
    """The ASGI app. One instance holds all state; a server process serves one instance."""

    def __init__(
        self,
        app_token: str,
        secret_key: str,
        *,
        client_id: str = "kycrail-sandbox",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._app_token = app_token
        self._secret_key = secret_key
        self.client_id = client_id
        self._clock = clock
        self.knobs = Knobs()
        self._outages_served = 0
        self.applicants: dict[str, JsonObject] = {}
        self.required_id_docs_status: dict[str, JsonObject] = {}
        self._tokens: dict[str, _ShareToken] = {}
        for applicant, steps in seeded_donors():
            self.applicants[applicant["id"]] = applicant
            self.required_id_docs_status[applicant["id"]] = steps

    @property
    def app(self) -> Emulator:
        return self

    # --- in-process helpers for tests and the sandbox ------------------------------------------

    def applicant_id_for(self, external_user_id: str) -> str:
        """Raises KeyError for an unknown external user id."""
        for applicant_id, applicant in self.applicants.items():
            if applicant.get("externalUserId") == external_user_id:
                return applicant_id
        raise KeyError(external_user_id)

    def mint_share_token(self, external_user_id: str, ttl_seconds: int = 600) -> str:
        """A share token for a donor, minted for this sandbox's own client id.

        Raises KeyError for an unknown external user id, ValueError for a TTL outside 1..1200 s.
        """
        applicant_id = self.applicant_id_for(external_user_id)
        try:
            return self._mint(applicant_id, self.client_id, ttl_seconds)
        except _Fail as refused:
            raise ValueError(refused.description) from None

    # --- ASGI ------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        body = await request.body()
        response = await self._respond(scope, request, body)
        await response(scope, receive, send)

    async def _respond(self, scope: Scope, request: Request, body: bytes) -> Response:
        if self.knobs.latency_seconds > 0:
            await asyncio.sleep(self.knobs.latency_seconds)
        # The signature covers the target as sent, so read the raw path, not Starlette's decoded one.
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        query: bytes = scope.get("query_string", b"")
        target = raw_path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")
        # Split before decoding: a %2F inside an id must not become a path separator.
        segments = tuple(unquote(part) for part in raw_path.decode("latin-1").split("/")[1:])
        params = {key: values[0] for key, values in parse_qs(query.decode("latin-1")).items()}
        try:
            if segments != ("_sandbox", "knobs"):
                outage = self._injected_outage()
                if outage is not None:
                    return outage
            self._authenticate(request, target, body)
            return self._route(request.method, segments, params, body)
        except _Fail as fail:
            return fail.response()

    def _injected_outage(self) -> Response | None:
        # The request is not processed: an import answered this way has not used its token.
        if self.knobs.fail_with_5xx > 0:
            self.knobs.fail_with_5xx -= 1
            self._outages_served += 1
            status = 503 if self._outages_served % 2 else 500
            return _Fail(status, "Service temporarily unavailable").response()
        if self.knobs.malformed_bodies > 0:
            self.knobs.malformed_bodies -= 1
            return Response(b"<html><body>502 upstream garbled</body></html>", media_type="text/html")
        return None

    def _authenticate(self, request: Request, target: str, body: bytes) -> None:
        app_token = request.headers.get(APP_TOKEN_HEADER, "")
        if not hmac.compare_digest(app_token.encode(), self._app_token.encode()):
            # Unconfirmed: SumSub's exact code and name for an unknown app token (a public report shows
            # 401 with errorCode 4000 "app-tok..."); any 401 with an errorCode reads as ours to fix.
            raise _Fail(401, "App token is invalid", error_code=4000, error_name="app-token-invalid")
        try:
            timestamp = int(request.headers.get(TIMESTAMP_HEADER, ""))
        except ValueError:
            timestamp = None
        if timestamp is None or abs(self._clock() - timestamp) > TIMESTAMP_TOLERANCE_SECONDS:
            raise _Fail(
                401,
                "X-App-Access-Ts doesn't match to the number of seconds since Unix Epoch in UTC",
                error_code=4004,
                error_name="app-token-request-expired",
            )
        expected = sign(self._secret_key, timestamp, request.method, target, body)
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise _Fail(
                401, "Request signature mismatch", error_code=4003, error_name="app-token-signature mismatch"
            )

    def _route(self, method: str, segments: tuple[str, ...], params: dict[str, str], body: bytes) -> Response:
        match (method, segments):
            case ("GET", ("resources", "status", "api")):
                return JSONResponse({"status": "ok"})
            case ("POST", ("resources", "accessTokens", "shareToken")):
                return self._mint_endpoint(_json_object(body))
            case ("POST", ("resources", "accessTokens", "-", "shareToken")):
                return self._mint_endpoint(params)
            case ("POST", ("resources", "api", "reusableIdentity", "reuse")):
                return JSONResponse(self._reuse(params))
            case ("POST", ("resources", "applicants", "-", "import")):
                return JSONResponse(self._copy(params))
            case ("GET", ("resources", "applicants", ref, "one")):
                return JSONResponse(self._resolve(ref))
            case ("GET", ("resources", "applicants", ref, "requiredIdDocsStatus")):
                return JSONResponse(self.required_id_docs_status[self._resolve(ref)["id"]])
            case ("GET", ("resources", "applicants", ref, "status")):
                return JSONResponse(self._resolve(ref)["review"])
            case ("POST", ("resources", "applicants", ref, "status", "testCompleted")):
                self._test_completed(self._resolve(ref), _json_object(body))
                return JSONResponse({"ok": 1})
            case ("POST", ("_sandbox", "knobs")):
                return JSONResponse(self._set_knobs(_json_object(body)))
        raise _Fail(404, "Not found")

    # --- applicants ----------------------------------------------------------------------------

    def _by_external_id(self, external_user_id: str) -> JsonObject:
        try:
            return self.applicants[self.applicant_id_for(external_user_id)]
        except KeyError:
            raise _Fail(404, f"Applicant with external user id '{external_user_id}' not found") from None

    def _resolve(self, ref: str) -> JsonObject:
        """An applicant id, or SumSub's matrix form ``-;externalUserId=...`` (already percent-decoded)."""
        if ref.startswith("-;"):
            key, _, value = ref[2:].partition("=")
            if key != "externalUserId" or not value:
                raise _Fail(400, "Unsupported applicant reference")
            return self._by_external_id(value)
        applicant = self.applicants.get(ref)
        if applicant is None:
            raise _Fail(404, f"Applicant with id '{ref}' not found")
        return applicant

    def _test_completed(self, applicant: JsonObject, body: JsonObject) -> None:
        answer = body.get("reviewAnswer")
        labels = body.get("rejectLabels", [])
        reject_type = body.get("reviewRejectType")
        if answer not in ("GREEN", "RED"):
            raise _Fail(400, "reviewAnswer must be GREEN or RED")
        if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
            raise _Fail(400, "rejectLabels must be a list of strings")
        if reject_type not in (None, "FINAL", "RETRY"):
            raise _Fail(400, "reviewRejectType must be FINAL or RETRY")
        result: JsonObject = {"reviewAnswer": answer}
        if answer == "RED":
            result["rejectLabels"] = labels
            result["reviewRejectType"] = reject_type or "RETRY"
        review = applicant["review"]
        review.update(reviewStatus="completed", reviewResult=result, reviewDate=self._now() + "+0000")

    # --- share tokens --------------------------------------------------------------------------

    def _mint(self, applicant_id: str, for_client_id: str, ttl_seconds: int) -> str:
        if applicant_id not in self.applicants:
            raise _Fail(404, f"Applicant with id '{applicant_id}' not found")
        if not 1 <= ttl_seconds <= MAX_SHARE_TOKEN_TTL_SECONDS:
            raise _Fail(400, f"ttlInSecs must be between 1 and {MAX_SHARE_TOKEN_TTL_SECONDS}")
        token = SHARE_TOKEN_PREFIX + secrets.token_urlsafe(96)  # ~140 characters, well under 1 KB
        self._tokens[token] = _ShareToken(applicant_id, for_client_id, self._clock(), ttl_seconds)
        return token

    def _mint_endpoint(self, fields: Mapping[str, Any]) -> Response:
        applicant_id = fields.get("applicantId")
        for_client_id = fields.get("forClientId")
        if not isinstance(applicant_id, str) or not applicant_id:
            raise _Fail(400, "applicantId is required")
        if not isinstance(for_client_id, str) or not for_client_id:
            raise _Fail(400, "forClientId is required")
        ttl = fields.get("ttlInSecs", DEFAULT_SHARE_TOKEN_TTL_SECONDS)
        try:
            ttl_seconds = int(ttl) if not isinstance(ttl, bool) else -1
        except (TypeError, ValueError):
            raise _Fail(400, "ttlInSecs must be an integer") from None
        token = self._mint(applicant_id, for_client_id, ttl_seconds)
        return JSONResponse({"token": token, "forClientId": for_client_id})

    def _redeem(self, params: Mapping[str, str]) -> tuple[_ShareToken, JsonObject]:
        """The token's donor, after SumSub's token checks. Does not use the token up."""
        value = params.get("shareToken", "")
        token = self._tokens.get(value)
        # Unconfirmed: SumSub's answer for an already used token; answered like a malformed one.
        if token is None or token.used:
            raise _invalid_share_token()
        now = self._clock()
        if now > token.created_at + token.ttl_seconds:
            shown = value[: len(SHARE_TOKEN_PREFIX) + 6] + "..."  # never echo a whole token
            created = _sumsub_time(token.created_at)
            raise _Fail(
                401,
                f"Token is invalid: Token {shown} is invalid now: created at {created} "
                f"with ttl {token.ttl_seconds} but accessed at {_sumsub_time(now)}",
                service_exception=True,
            )
        # Unconfirmed: a token minted for another recipient; answered like an invalid token.
        if token.for_client_id != self.client_id:
            raise _invalid_share_token()
        return token, self.applicants[token.applicant_id]

    def _reuse(self, params: Mapping[str, str]) -> JsonObject:
        token, donor = self._redeem(params)
        level_name = params.get("levelName")
        if not level_name:
            raise _Fail(400, "levelName is required")
        review = donor["review"]
        approved = (
            review.get("reviewStatus") == "completed"
            and (review.get("reviewResult") or {}).get("reviewAnswer") == "GREEN"
        )
        if not approved:
            # Unconfirmed: whether a refused reuse uses the token up; here it does not.
            raise _Fail(
                400,
                "The applicant is not approved and cannot be reused",
                error_code=10507,
                error_name="reusable-kyc-not-approved-applicant",
                service_exception=True,
            )
        token.used = True
        recipient = self._recipient_copy(donor)
        recipient["review"] = {**copy.deepcopy(review), "levelName": level_name}
        return recipient

    def _copy(self, params: Mapping[str, str]) -> JsonObject:
        """Copy Applicant: no re-check, the donor's review comes along whatever it is."""
        token, donor = self._redeem(params)
        token.used = True
        return self._recipient_copy(donor)

    def _recipient_copy(self, donor: JsonObject) -> JsonObject:
        recipient = copy.deepcopy(donor)
        recipient.update(
            id=secrets.token_hex(12),
            createdAt=self._now(),
            clientId=self.client_id,
            inspectionId=secrets.token_hex(12),
            externalUserId=f"copy-{uuid.uuid4()}",
        )
        self.applicants[recipient["id"]] = recipient
        self.required_id_docs_status[recipient["id"]] = copy.deepcopy(
            self.required_id_docs_status[donor["id"]]
        )
        return recipient

    # --- knobs ---------------------------------------------------------------------------------

    def _set_knobs(self, body: JsonObject) -> JsonObject:
        for name in ("latency_seconds", "fail_with_5xx", "malformed_bodies"):
            if name not in body:
                continue
            value = body[name]
            wanted = float if name == "latency_seconds" else int
            if isinstance(value, bool) or not isinstance(value, wanted | int) or value < 0:
                raise _Fail(400, f"{name} must be a non-negative {wanted.__name__}")
            setattr(self.knobs, name, wanted(value))
        return asdict(self.knobs)

    def _now(self) -> str:
        return _sumsub_time(self._clock())


def _json_object(body: bytes) -> JsonObject:
    try:
        parsed = json.loads(body)
    except ValueError:
        raise _Fail(400, "Request body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise _Fail(400, "Request body must be a JSON object")
    return parsed


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def create_emulator(
    app_token: str,
    secret_key: str,
    *,
    client_id: str = "kycrail-sandbox",
    clock: Callable[[], float] = time.time,
) -> Emulator:
    return Emulator(app_token, secret_key, client_id=client_id, clock=clock)
