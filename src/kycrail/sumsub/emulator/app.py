"""The ``Emulator``: the state (applicants, levels, share tokens, WebSDK links, knobs), what each
endpoint does to it, and the ASGI entry, which answers a request the way SumSub screens it (knobs, then
authentication) before routing it."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from kycrail.sumsub.emulator import applicants, documents, fields, images, page, routes, websdk
from kycrail.sumsub.emulator.donors import seeded_donors
from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.knobs import Knobs, Outages
from kycrail.sumsub.emulator.levels import DEFAULT_KYB_LEVEL, DEFAULT_KYC_LEVEL, Levels
from kycrail.sumsub.emulator.signatures import authenticate, raw_path, raw_target
from kycrail.sumsub.emulator.tokens import TokenStore
from kycrail.sumsub.emulator.webhooks import WebhookConfig, Webhooks
from kycrail.sumsub.emulator.wire import JsonObject, sumsub_time

# A document's image and its metadata fit; unconfirmed what SumSub allows (its dashboard: up to 50 MB).
MAX_BODY_BYTES = 25 * 1024 * 1024


class Emulator:
    """The ASGI app. One instance holds all state; a server process serves one instance."""

    def __init__(
        self,
        app_token: str,
        secret_key: str,
        *,
        client_id: str = "kycrail-sandbox",
        clock: Callable[[], float] = time.time,
        kyc_level: str = DEFAULT_KYC_LEVEL,
        kyb_level: str = DEFAULT_KYB_LEVEL,
        public_url: str | None = None,
        webhooks: WebhookConfig | None = None,
    ) -> None:
        """``kyc_level``/``kyb_level`` name the two levels applicants can be created at (share-token
        imports accept any level name, as before). ``public_url`` is where a browser reaches this
        emulator, for WebSDK links; by default the origin each link request was sent to. ``webhooks``
        says where to send them (or later ``emulator.webhooks.configure``, which also takes a
        transport); without it they are only kept in ``emulator.webhooks.emitted``."""
        self._app_token = app_token
        self._secret_key = secret_key
        self.client_id = client_id  # the recipient this emulator's share tokens must be minted for
        # What "now" is for tokens, links, webhooks and signatures: a test may set another clock (the
        # emulator a sandbox app made, say), and everything reads the new one from then on.
        self.clock = clock
        self.public_url = public_url.rstrip("/") if public_url else None
        self.knobs = Knobs()
        self._outages = Outages(self.knobs)
        self.levels = Levels(kyc_level, kyb_level)
        self.applicants: dict[str, JsonObject] = {}
        self.required_id_docs_status: dict[str, JsonObject] = {}
        self.images: dict[str, list[images.Image]] = {}  # by applicant id: what its uploads carried
        self._tokens = TokenStore(self._now)
        self.links = websdk.Links(self._now)
        self.webhooks = Webhooks(lambda: self.knobs.webhook_delay_scale)
        if webhooks is not None:
            self.webhooks.configure(url=webhooks.url, secret=webhooks.secret, digest_alg=webhooks.digest_alg)
        for applicant, steps in seeded_donors():
            self.applicants[applicant["id"]] = applicant
            self.required_id_docs_status[applicant["id"]] = steps
            self.images[applicant["id"]] = images.seeded(steps, applicant["createdAt"])
        self._router = routes.router(self)

    def _now(self) -> float:
        return self.clock()

    # --- in-process helpers for tests and the sandbox ------------------------------------------

    def applicant_id_for(self, external_user_id: str) -> str:
        """Raises KeyError for an unknown external user id."""
        return applicants.id_for(self.applicants, external_user_id)

    def mint_share_token(self, external_user_id: str, ttl_seconds: int = 600) -> str:
        """A share token for a donor, minted for this sandbox's own client id.

        Raises KeyError for an unknown external user id, ValueError for a TTL outside 1..1200 s.
        """
        applicant_id = self.applicant_id_for(external_user_id)
        try:
            return self.mint(applicant_id, self.client_id, ttl_seconds)
        except Failure as refused:
            raise ValueError(refused.description) from None

    # --- share tokens: what the endpoints do ----------------------------------------------------

    def mint(self, applicant_id: str, for_client_id: str, ttl_seconds: int) -> str:
        if applicant_id not in self.applicants:
            raise Failure(404, f"Applicant with id '{applicant_id}' not found")
        return self._tokens.mint(applicant_id, for_client_id, ttl_seconds)

    def import_by_reuse(self, share_token: str, level_name: str | None) -> JsonObject:
        """Reusable KYC: the donor is re-checked (here: approved or refused) against our level."""
        token = self._tokens.redeem(share_token, self.client_id)
        if not level_name:
            raise Failure(400, "levelName is required")
        donor = self.applicants[token.applicant_id]
        if not applicants.is_approved(donor):
            # Unconfirmed: whether a refused reuse uses the token up; here it does not.
            raise Failure(
                400,
                "The applicant is not approved and cannot be reused",
                error_code=10507,
                error_name="reusable-kyc-not-approved-applicant",
                service_exception=True,
            )
        token.used = True
        recipient = self._keep_copy_of(donor)
        recipient["review"]["levelName"] = level_name
        return recipient

    def import_by_copy(self, share_token: str) -> JsonObject:
        """Copy Applicant: no re-check, the donor's review comes along whatever it is."""
        token = self._tokens.redeem(share_token, self.client_id)
        token.used = True
        return self._keep_copy_of(self.applicants[token.applicant_id])

    # --- applicants: what the endpoints do -------------------------------------------------------

    def create_applicant(self, request: JsonObject, level_name: str | None) -> JsonObject:
        level = self.levels.named(level_name)
        applicant = applicants.new_applicant(request, level, client_id=self.client_id, now=self.now())
        try:
            existing = self.applicant_id_for(applicant["externalUserId"])
        except KeyError:
            pass
        else:
            raise Failure(
                409,
                f"Applicant with external user id '{applicant['externalUserId']}' already exists: {existing}",
            )
        self.applicants[applicant["id"]] = applicant
        self.required_id_docs_status[applicant["id"]] = documents.empty_steps(applicant["requiredIdDocs"])
        self._notify("applicantCreated", applicant)
        return applicant

    def applicant(self, ref: str) -> JsonObject:
        """An applicant by id or by ``-;externalUserId=...``: a 404 ``Failure`` if there is none."""
        return applicants.resolve(self.applicants, ref)

    def patch_fixed_info(self, ref: str, changes: object, *, notify: bool = False) -> JsonObject:
        """``PATCH .../fixedInfo`` (``notify``: as a client's call, which SumSub follows with
        ``applicantPersonalInfoChanged``; the sandbox page's own typing sends none)."""
        applicant = self.applicant(ref)
        merged = applicants.merge_fixed_info(applicant, changes)
        if notify:
            self._notify("applicantPersonalInfoChanged", applicant)
        return merged

    def add_document(
        self, ref: str, metadata: JsonObject, image: bytes | None, file_name: str | None = None
    ) -> tuple[JsonObject, int | None]:
        """Files a document (``metadata`` checked by ``documents.metadata``) and its image, if any,
        checked as SumSub checks an upload (``images.checked``); answers the document and the image's id."""
        applicant = self.applicant(ref)
        kept = self.images.setdefault(applicant["id"], [])
        image_id = None
        if image is not None:
            file_type = images.checked(applicant, kept, image)
            image_id = documents.new_image_id()
            step = documents.step_for(applicant, metadata["idDocType"])
            added = self.now()
            kept.append(images.Image(image_id, image, file_type, file_name, dict(metadata), added, step))
        steps = self.required_id_docs_status[applicant["id"]]
        return documents.add(applicant, steps, metadata, image_id), image_id

    def images_of(self, ref: str) -> list[images.Image]:
        return self.images.get(self.applicant(ref)["id"], [])

    def image_by_inspection(self, inspection_id: str, image_id: str) -> images.Image:
        for applicant in self.applicants.values():
            if applicant.get("inspectionId") == inspection_id:
                return images.find(self.images.get(applicant["id"], []), image_id)
        raise Failure(404, "Inspection not found")

    def submit(self, ref: str) -> None:
        """``status/pending``: the applicant asks for a review."""
        applicant = self.applicant(ref)
        applicants.submit(applicant, now=self.now())
        self._notify("applicantPending", applicant)

    def reset(self, ref: str) -> None:
        applicant = self.applicant(ref)
        applicants.reset(applicant, now=self.now())
        documents.deactivate(self.required_id_docs_status[applicant["id"]])
        images.deactivate(self.images.get(applicant["id"], []))
        self._notify("applicantReset", applicant)

    def reset_step(self, ref: str, step_name: str) -> None:
        """``/resetStep/{idDocSetType}``: that step's documents deactivated and the review back to
        ``init``, so that the WebSDK takes the step again; the other steps keep their documents and
        answers. Checked first: a refused reset changes nothing. No webhook: SumSub documents none for
        a step reset (``applicantReset`` is the whole applicant's reset); unconfirmed."""
        applicant = self.applicant(ref)
        steps = self.required_id_docs_status[applicant["id"]]
        documents.ensure_step(steps, step_name)
        applicants.reopen_step(applicant, now=self.now())
        documents.deactivate_step(steps, step_name)
        images.deactivate(self.images.get(applicant["id"], []), step_name)

    def move_to_level(self, ref: str, level_name: str | None) -> JsonObject:
        """``/moveToLevel?name=``: the applicant, now asked for that level's documents (the steps it
        had keep what is on file). No webhook: SumSub's reference documents none for it (unconfirmed)."""
        applicant = self.applicant(ref)
        level = self.levels.named(level_name)
        applicants.move_to_level(applicant, level)
        steps = self.required_id_docs_status[applicant["id"]]
        self.required_id_docs_status[applicant["id"]] = documents.steps_at(steps, level.required_id_docs)
        return applicant

    def moderation_states(self, applicant_ref: str) -> JsonObject:
        applicant = self.applicant(applicant_ref)
        steps = self.required_id_docs_status[applicant["id"]]
        return images.moderation_states(applicant, self.images.get(applicant["id"], []), steps)

    def complete(self, ref: str, verdict: JsonObject) -> None:
        """Sandbox only (``testCompleted``): a final answer on the applicant and on its steps."""
        applicant = self.applicant(ref)
        result = applicants.complete_review(applicant, verdict, now=self.now())
        documents.review(self.required_id_docs_status[applicant["id"]], result)
        self._notify("applicantReviewed", applicant)

    def hold(self, ref: str) -> None:
        """Sandbox only: the review needs action (``onHold``)."""
        applicant = self.applicant(ref)
        applicants.hold(applicant)
        self._notify("applicantOnHold", applicant)

    def _notify(self, event_type: str, applicant: JsonObject) -> None:
        self.webhooks.emit(event_type, applicant, client_id=self.client_id, moment=self._now())

    # --- the WebSDK -----------------------------------------------------------------------------

    def access_token(self, request: JsonObject) -> JsonObject:
        """``POST /resources/accessTokens/sdk`` (a JSON body) or ``/resources/accessTokens`` (a query)."""
        user_id = fields.required_text(request, "userId")
        self.levels.named(fields.text(request, "levelName"))
        fields.ttl(request, default=websdk.DEFAULT_ACCESS_TOKEN_TTL_SECONDS, maximum=websdk.MAX_TTL_SECONDS)
        return {"token": websdk.access_token(), "userId": user_id}

    def websdk_link(self, request: JsonObject, origin: str) -> str:
        """``POST /resources/sdkIntegrations/levels/-/websdkLink``: a link to this emulator's page."""
        # Unconfirmed: older clients name the user "externalUserId" in the body; taken as userId.
        user_id = fields.text(request, "userId") or fields.text(request, "externalUserId")
        if user_id is None:
            raise Failure(400, "userId is required")
        level = self.levels.named(fields.text(request, "levelName"))
        ttl = fields.ttl(request, default=websdk.DEFAULT_LINK_TTL_SECONDS, maximum=websdk.MAX_TTL_SECONDS)
        token = self.links.mint(user_id, level.name, ttl, websdk.identifiers(request))
        return f"{self.public_url or origin.rstrip('/')}{websdk.LINK_PATH_PREFIX}{token}"

    def link_applicant(self, token: str) -> JsonObject:
        """The applicant a WebSDK link is for, created (at the link's level) on first use, as SumSub's
        page does. Raises KeyError for an unknown token, ``websdk.LinkExpired`` for an expired one."""
        link = self.links.find(token)
        try:
            return self.applicants[self.applicant_id_for(link.user_id)]
        except KeyError:
            level = self.levels.named(link.level_name)
            request = {"externalUserId": link.user_id, "type": level.applicant_type, **link.identifiers}
            return self.create_applicant(request, level.name)

    def _keep_copy_of(self, donor: JsonObject) -> JsonObject:
        recipient = applicants.recipient_copy(donor, client_id=self.client_id, now=self.now())
        self.applicants[recipient["id"]] = recipient
        self.required_id_docs_status[recipient["id"]] = copy.deepcopy(
            self.required_id_docs_status[donor["id"]]
        )
        # Unconfirmed: whether SumSub gives the copied images new ids; here they keep the donor's.
        self.images[recipient["id"]] = images.copies(self.images.get(donor["id"], []))
        return recipient

    def now(self) -> str:
        return sumsub_time(self._now())

    # --- ASGI ------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = await _body(receive)
        if body is None:
            await Failure(413, f"Request body is larger than {MAX_BODY_BYTES} bytes").response()(
                scope, receive, send
            )
            return
        path = raw_path(scope)
        if page.is_page_path(path):  # the WebSDK page: its link's token is its credential
            request = Request({**scope, "path": path}, _replaying(body, receive))
            await (await page.answer(self, request, path))(scope, receive, send)
            return
        refusal = await self._screen(scope, body)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        # Routed on the raw path, not ASGI's decoded one: see routes.router.
        await self._router({**scope, "path": path}, _replaying(body, receive), send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        """Started: nothing to do. Shutting down: background webhook deliveries stop."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.webhooks.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _screen(self, scope: Scope, body: bytes) -> Response | None:
        """What comes before routing: latency, an injected outage, SumSub's authentication. None lets
        the request through."""
        if self.knobs.latency_seconds > 0:
            await asyncio.sleep(self.knobs.latency_seconds)
        if raw_path(scope) != routes.KNOBS_PATH:  # never failed by the knobs, so they can be reset
            outage = self._outages.next_answer()
            if outage is not None:
                return outage
        request = Request(scope)
        try:
            authenticate(
                request.headers,
                request.method,
                raw_target(scope),
                body,
                app_token=self._app_token,
                secret_key=self._secret_key,
                now=self._now(),
            )
        except Failure as failure:
            return failure.response()
        return None


async def _body(receive: Receive) -> bytes | None:
    """The whole body (the signature covers it), or None past MAX_BODY_BYTES."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: whatever is answered is lost
            return b"".join(chunks)
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """``receive`` for the route: the body read for the signature check, then whatever comes next."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
