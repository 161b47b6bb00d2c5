"""The endpoints: a Starlette ``Router``, one ``Route`` per SumSub endpoint (docs/sumsub.md).

Handlers read the request and answer it; what they do to the state is the ``Emulator``'s. A ``Failure``
anywhere is answered in SumSub's error shape, as is an unknown endpoint.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route, Router
from starlette.types import Receive, Scope, Send

from kycrail.sumsub.emulator import applicants, documents, forms, images
from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.tokens import DEFAULT_TTL_SECONDS
from kycrail.sumsub.emulator.wire import JsonObject

if TYPE_CHECKING:
    from kycrail.sumsub.emulator.app import Emulator

log = logging.getLogger(__name__)

KNOBS_PATH = "/_sandbox/knobs"
# Not SumSub's: its sandbox has no call that puts an applicant on hold; this emulator's does.
ON_HOLD_PATH = "/_sandbox/applicants/{ref}/onHold"

Handler = Callable[["Emulator", Request], Awaitable[Response]]


# --- requests ----------------------------------------------------------------------------------------


def _json_object(body: bytes) -> JsonObject:
    try:
        parsed = json.loads(body)
    except ValueError:
        raise Failure(400, "Request body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise Failure(400, "Request body must be a JSON object")
    return parsed


def _query(request: Request) -> dict[str, str]:
    """The first value of each parameter; a blank one counts as missing."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    return {key: values[0] for key, values in parse_qs(query).items()}


def _ref(request: Request) -> str:
    # The router matched the raw path: the segment is still percent-encoded.
    return unquote(request.path_params["ref"])


# --- handlers ----------------------------------------------------------------------------------------


async def _api_status(emulator: Emulator, request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _mint_from_body(emulator: Emulator, request: Request) -> Response:
    return _mint(emulator, _json_object(await request.body()))


async def _mint_from_query(emulator: Emulator, request: Request) -> Response:
    return _mint(emulator, _query(request))


def _mint(emulator: Emulator, fields: Mapping[str, Any]) -> Response:
    applicant_id = fields.get("applicantId")
    for_client_id = fields.get("forClientId")
    if not isinstance(applicant_id, str) or not applicant_id:
        raise Failure(400, "applicantId is required")
    if not isinstance(for_client_id, str) or not for_client_id:
        raise Failure(400, "forClientId is required")
    ttl = fields.get("ttlInSecs", DEFAULT_TTL_SECONDS)
    try:
        ttl_seconds = int(ttl) if not isinstance(ttl, bool) else -1
    except (TypeError, ValueError):
        raise Failure(400, "ttlInSecs must be an integer") from None
    token = emulator.mint(applicant_id, for_client_id, ttl_seconds)
    return JSONResponse({"token": token, "forClientId": for_client_id})


async def _reuse(emulator: Emulator, request: Request) -> Response:
    params = _query(request)
    return JSONResponse(emulator.import_by_reuse(params.get("shareToken", ""), params.get("levelName")))


async def _import(emulator: Emulator, request: Request) -> Response:
    return JSONResponse(emulator.import_by_copy(_query(request).get("shareToken", "")))


async def _create_applicant(emulator: Emulator, request: Request) -> Response:
    body = _json_object(await request.body())
    applicant = emulator.create_applicant(body, _query(request).get("levelName"))
    return JSONResponse(applicant, status_code=201)


async def _websdk_link(emulator: Emulator, request: Request) -> Response:
    url = emulator.websdk_link(_json_object(await request.body()), str(request.base_url))
    return JSONResponse({"url": url})


async def _access_token_sdk(emulator: Emulator, request: Request) -> Response:
    return JSONResponse(emulator.access_token(_json_object(await request.body())))


async def _access_token_legacy(emulator: Emulator, request: Request) -> Response:
    return JSONResponse(emulator.access_token(_query(request)))


async def _levels(emulator: Emulator, request: Request) -> Response:
    return JSONResponse(emulator.levels.answer(emulator.client_id))


async def _applicant(emulator: Emulator, request: Request) -> Response:
    return JSONResponse(emulator.applicant(_ref(request)))


async def _required_id_docs_status(emulator: Emulator, request: Request) -> Response:
    applicant = emulator.applicant(_ref(request))
    return JSONResponse(emulator.required_id_docs_status[applicant["id"]])


async def _review_status(emulator: Emulator, request: Request) -> Response:
    return JSONResponse(applicants.review_status(emulator.applicant(_ref(request)), now=emulator.clock()))


async def _metadata_resources(emulator: Emulator, request: Request) -> Response:
    return JSONResponse(images.metadata_resources(emulator.images_of(_ref(request))))


def _image_answer(image: images.Image) -> Response:
    return Response(image.content, media_type=image.file_type)


async def _inspection_image(emulator: Emulator, request: Request) -> Response:
    params = request.path_params
    return _image_answer(
        emulator.image_by_inspection(unquote(params["inspection"]), unquote(params["image"]))
    )


async def _applicant_image(emulator: Emulator, request: Request) -> Response:
    # The 2026-09 docs name the image by applicant instead of inspection: both are answered.
    return _image_answer(
        images.find(emulator.images_of(_ref(request)), unquote(request.path_params["image"]))
    )


async def _add_id_doc(emulator: Emulator, request: Request) -> Response:
    parts = forms.parse(request.headers.get("content-type", ""), await request.body())
    if "metadata" not in parts:
        raise Failure(400, "metadata is required")
    metadata = documents.metadata(bytes(parts["metadata"].data))
    content = parts.get("content")
    image = bytes(content.data) if content is not None else None
    if image is not None and len(image) > documents.MAX_IMAGE_BYTES:
        raise Failure(400, f"content is larger than {documents.MAX_IMAGE_BYTES} bytes")
    file_name = content.filename if content is not None else None
    document, image_id = emulator.add_document(_ref(request), metadata, image, file_name)
    headers = {"X-Image-Id": str(image_id)} if image_id is not None else {}
    return JSONResponse(document, headers=headers)


async def _pending(emulator: Emulator, request: Request) -> Response:
    emulator.submit(_ref(request))
    return JSONResponse({"ok": 1})


async def _reset(emulator: Emulator, request: Request) -> Response:
    emulator.reset(_ref(request))
    return JSONResponse({"ok": 1})


async def _reset_step(emulator: Emulator, request: Request) -> Response:
    emulator.reset_step(_ref(request), unquote(request.path_params["step"]))
    return JSONResponse({"ok": 1})


async def _move_to_level(emulator: Emulator, request: Request) -> Response:
    return JSONResponse(emulator.move_to_level(_ref(request), _query(request).get("name")))


async def _moderation_states(emulator: Emulator, request: Request) -> Response:
    # SumSub's matrix form names the applicant: ``-;applicantId={id}``.
    selector = unquote(request.path_params["selector"])
    applicant_id = selector.removeprefix("-;applicantId=")
    if applicant_id == selector or not applicant_id:
        raise Failure(400, "Name the applicant: /resources/moderationStates/-;applicantId={applicantId}")
    return JSONResponse(emulator.moderation_states(applicant_id))


async def _fixed_info(emulator: Emulator, request: Request) -> Response:
    changes = _json_object(await request.body())
    return JSONResponse(emulator.patch_fixed_info(_ref(request), changes, notify=True))


async def _test_completed(emulator: Emulator, request: Request) -> Response:
    emulator.complete(_ref(request), _json_object(await request.body()))
    return JSONResponse({"ok": 1})


async def _on_hold(emulator: Emulator, request: Request) -> Response:
    emulator.hold(_ref(request))
    return JSONResponse({"ok": 1})


async def _knobs(emulator: Emulator, request: Request) -> Response:
    return JSONResponse(emulator.knobs.update(_json_object(await request.body())))


ENDPOINTS: list[tuple[str, str, Handler]] = [
    ("GET", "/resources/status/api", _api_status),
    ("POST", "/resources/accessTokens/shareToken", _mint_from_body),
    ("POST", "/resources/accessTokens/-/shareToken", _mint_from_query),
    ("POST", "/resources/api/reusableIdentity/reuse", _reuse),
    ("POST", "/resources/applicants/-/import", _import),
    ("POST", "/resources/applicants", _create_applicant),
    ("GET", "/resources/applicants/-/levels", _levels),
    ("POST", "/resources/accessTokens/sdk", _access_token_sdk),
    ("POST", "/resources/accessTokens", _access_token_legacy),
    ("POST", "/resources/sdkIntegrations/levels/-/websdkLink", _websdk_link),
    ("GET", "/resources/applicants/{ref}/one", _applicant),
    ("GET", "/resources/applicants/{ref}/requiredIdDocsStatus", _required_id_docs_status),
    ("GET", "/resources/applicants/{ref}/status", _review_status),
    ("GET", "/resources/applicants/{ref}/metadata/resources", _metadata_resources),
    ("GET", "/resources/applicants/{ref}/resources/{image}", _applicant_image),
    ("GET", "/resources/inspections/{inspection}/resources/{image}", _inspection_image),
    ("POST", "/resources/applicants/{ref}/info/idDoc", _add_id_doc),
    ("PATCH", "/resources/applicants/{ref}/fixedInfo", _fixed_info),
    ("POST", "/resources/applicants/{ref}/status/pending", _pending),
    ("POST", "/resources/applicants/{ref}/reset", _reset),
    ("POST", "/resources/applicants/{ref}/resetStep/{step}", _reset_step),
    ("POST", "/resources/applicants/{ref}/moveToLevel", _move_to_level),
    ("GET", "/resources/moderationStates/{selector}", _moderation_states),
    ("POST", "/resources/applicants/{ref}/status/testCompleted", _test_completed),
    ("POST", ON_HOLD_PATH, _on_hold),
    ("POST", KNOBS_PATH, _knobs),
]


# --- the router ----------------------------------------------------------------------------------------


class _Endpoint(Route):
    """One path, one method. Another method (HEAD included, which Starlette adds to a GET) is an unknown
    endpoint, answered with SumSub's 404 like an unknown path rather than Starlette's plain-text 405."""

    def __init__(self, method: str, path: str, endpoint: Callable[[Request], Awaitable[Response]]) -> None:
        super().__init__(path, endpoint, methods=[method])
        self.method = method

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.NONE and scope["method"] != self.method:
            return Match.NONE, {}
        return match, child_scope


def _bound(handler: Handler, emulator: Emulator) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(emulator, request)
        except Failure as failure:
            return failure.response()
        except Exception:
            # A bug, not the client's doing: still answered in SumSub's shape, and logged to be fixed.
            log.exception("the SumSub emulator failed on %s %s", request.method, request.url.path)
            return Failure(500, "Internal error").response()

    return endpoint


async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
    await Failure(404, "Not found").response()(scope, receive, send)


def router(emulator: Emulator) -> Router:
    """The emulator's router. Give it a scope whose ``path`` is the raw path as sent, still
    percent-encoded: Starlette matches on ``scope["path"]``, which ASGI servers decode, so a ``%2F``
    inside an applicant id (or SumSub's matrix form ``-;externalUserId=a%2Fb``) would become a
    separator. Matched raw, segments are split before decoding, and handlers unquote their parameters.
    """
    routes = [_Endpoint(method, path, _bound(handler, emulator)) for method, path, handler in ENDPOINTS]
    # No redirect of "/path/" to "/path": SumSub's paths are exact, an unknown one is its 404.
    return Router(routes, redirect_slashes=False, default=_not_found)
