"""Typed errors raised by domain, service and API code: one class per thing that can go wrong.

A class says what went wrong (its detail, the fields at fault, headers such as ``Retry-After``); what a
client is answered is each wire dialect's choice: ``api/<dialect>/errors.py`` maps every class to a
status and a code, in the dialect's own style, and a test holds both tables to every class here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input.

    For the body, ``pointer`` is a JSON pointer such as ``/address/postalCode``; for a query or path
    parameter, ``parameter`` names it and ``pointer`` is None.
    """

    pointer: str | None
    detail: str
    parameter: str | None = None


class KycrailError(Exception):
    """Base of every error a client may see."""

    detail = "An unexpected error occurred."
    retryable = False  # the same request may succeed later

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: tuple[FieldError, ...] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        if detail is not None:
            self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        super().__init__(self.detail)


# --- the request itself ---------------------------------------------------------------------------


# How a key is sent, for every 401: the one thing a caller refused for its key can act on.
KEY_HEADERS = "Send the API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`."


class Unauthenticated(KycrailError):
    # SpherePay's documented detail, then how to send a key.
    detail = f"Invalid or missing API key. {KEY_HEADERS}"

    def __init__(self) -> None:
        super().__init__(headers={"WWW-Authenticate": "Bearer"})


class ProviderSignatureInvalid(KycrailError):
    """A provider's webhook whose signature does not check out (or no secret is configured to check
    it with): nothing is done."""

    detail = "The webhook's signature does not match."


class Forbidden(KycrailError):
    detail = "This API key's role may not do this."


class NotFound(KycrailError):
    detail = "Resource not found."


class RouteNotFound(KycrailError):
    """No route serves this path (an unknown resource is ``NotFound``)."""

    detail = "Not found"


class MethodNotAllowed(KycrailError):
    detail = "This method is not allowed on this path."


class ValidationFailed(KycrailError):
    """The payload does not parse or a field is malformed (one pointer per bad field)."""

    detail = "The request is invalid."


class PayloadTooLarge(KycrailError):
    detail = "The request body is too large."


class RateLimited(KycrailError):
    detail = "Too many requests for this API key; slow down."
    retryable = True

    def __init__(self, retry_after_seconds: int, detail: str | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after_seconds)})


class RequestTimeout(KycrailError):
    """The body did not arrive by its deadline: nothing was done, and the connection is closed."""

    detail = "The request body was not received in time."

    def __init__(self, base_seconds: float, min_bytes_per_second: int) -> None:
        super().__init__(
            f"The request body did not arrive in time: a body has {base_seconds:g} s, and one second more "
            f"for every {min_bytes_per_second} bytes it delivers.",
            headers={"Connection": "close"},
        )


class HttpError(KycrailError):
    """What the HTTP layer refused on its own (a body it could not read, say), with its status."""

    def __init__(self, status: int, detail: str) -> None:
        self.status = status
        super().__init__(detail)


# --- retries and concurrency ---------------------------------------------------------------------


class UnsupportedMediaType(KycrailError):
    """The body is not in the media type the endpoint takes."""

    detail = "This endpoint does not take a body of this type."


class MalformedBody(KycrailError):
    """The body cannot be read as its media type says (JSON that is not UTF-8, say)."""

    detail = "The body could not be read."


class InvalidHeader(KycrailError):
    """A request header is not in the form its standard defines (a malformed If-Match, say)."""

    detail = "A request header is malformed."


class PreconditionFailed(KycrailError):
    """If-Match named another version than the current one: read the customer again."""

    detail = "The customer has changed since you read it."


class IdempotencyKeyInvalid(KycrailError):
    detail = "Idempotency-Key must be 1 to 255 visible ASCII characters."


class IdempotencyConflict(KycrailError):
    detail = "This Idempotency-Key was used with another request (method, path or body)."


class WebhookUrlRefused(KycrailError):
    detail = "This URL cannot receive webhooks."


class WebhookLimitReached(KycrailError):
    detail = "This tenant has as many webhooks as it may."


class IdempotentAnswerGone(KycrailError):
    detail = (
        "This Idempotency-Key's request wrote a customer that has since been deleted: its answer is not "
        "replayed (it held that customer's personal data) and the request is not run again."
    )


class IdempotencyInProgress(KycrailError):
    detail = "A request with this Idempotency-Key is still running; retry shortly."
    retryable = True

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "1"})


# --- business rules: a well-formed request that a rule refuses -----------------------------------


class RuleViolation(KycrailError):
    """Base of the rules' refusals; each has its own class, so each dialect names it its own way."""

    def __init__(self, detail: str | None = None, *, pointer: str | None = None) -> None:
        super().__init__(detail, errors=(FieldError(pointer, detail or self.detail),) if pointer else ())


class KybFlowRequired(RuleViolation):
    detail = (
        "Business customers are verified through a KYB verification link (POST /v2/customer/{id}/kyc-link, "
        "POST /v1/customers/{id}/kyc), not by this request."
    )


class TypeImmutable(RuleViolation):
    detail = "A customer's type never changes."


class IdentityLocked(RuleViolation):
    detail = (
        "Name, date of birth and tax identification are locked once a KYC review has been submitted or a "
        "provider verified them; only contact details and meta can change."
    )


class AddressRequired(RuleViolation):
    detail = "address is required when personalInformation is provided."


class TaxIdentificationIncomplete(RuleViolation):
    detail = "When any tax identification field is sent, number, type and country are all required."


class TaxDescriptionRequired(RuleViolation):
    detail = "A description of the tax identification number is required when its type is 'other'."


class SsnRequired(RuleViolation):
    # Raised by the domain, for either dialect: the pointer names the request's own field.
    detail = "US residents must give their SSN: the tax identification number's type must be 'ssn'."


class DocumentTypeNotApplicable(RuleViolation):
    detail = "This customer does not take documents of this type."


class UnsupportedDocumentContent(RuleViolation):
    detail = (
        "The file is not one kycrail takes (judged by its content, not its name or declared type): "
        "JPEG, PNG, WEBP or PDF, whole and readable."
    )


class DocumentTooManyPixels(RuleViolation):
    detail = "The image has more pixels than kycrail takes (KYCRAIL_DOCUMENT_MAX_PIXELS)."


class DuplicateDocument(RuleViolation):
    detail = "This very file is already on the customer."


class CustomerRejected(RuleViolation):
    detail = "This customer's verification was rejected for good; only a reviewer can reopen it."


class ReviewNotPending(RuleViolation):
    detail = "Only a customer whose KYC review is pending can be reviewed."


class NotRejected(RuleViolation):
    detail = "Only a finally rejected customer can be reopened."


class ReasonsRequired(RuleViolation):
    detail = "A rejection names at least one criterion and why."


class SanctionsHitOpen(RuleViolation):
    detail = (
        "A sanctions screening hit is open on this customer: it cannot be approved until a reviewer "
        "resolves the hit (POST /ops/customers/{id}/screening/{hitId})."
    )


class HitAlreadyResolved(RuleViolation):
    detail = "This screening hit was resolved already."


# --- conflicts with what is stored ----------------------------------------------------------------


class DuplicateContact(KycrailError):
    """Another live customer of the tenant has this email or phone."""

    detail = "Another customer of this tenant already has this email or phone."


class IdentityMismatch(KycrailError):
    detail = "The share token belongs to another person than this customer; nothing was imported."


class ConcurrentChange(KycrailError):
    """A guard: the row lock makes it unreachable; retrying is the answer if it ever is not."""

    detail = "The customer changed while this request was applied; retry it."
    retryable = True


# --- KYC providers ----------------------------------------------------------------------------------


class InvalidShareToken(KycrailError):
    """The share token is malformed, expired or already used: mint a fresh one and send it again."""

    detail = "The share token is invalid, expired or already used; generate a new one."


class RejectedShareToken(KycrailError):
    """A valid token whose KYC cannot be taken over (donor not approved, not suitable, ...)."""

    detail = "The share token's KYC cannot be taken over."


class KycProviderUnavailable(KycrailError):
    detail = "The KYC provider did not answer properly; retry the request."
    retryable = True


class KycProviderMisconfigured(KycrailError):
    """The provider refused the credentials kycrail sent, or none are configured (the provider port
    says which, in its own words: it knows the settings that name them)."""

    detail = "The KYC provider refused this service's credentials; the operator has been told."


# --- the service itself -----------------------------------------------------------------------------


class DocumentStoreUnavailable(KycrailError):
    """The object store holding documents' bytes could not be reached, or refused: nothing was written."""

    detail = "The document store is unavailable; nothing was stored. Try again shortly."
    retryable = True

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": "5"})


class DatabaseUnavailable(KycrailError):
    """The connection to the database broke (a restart, a failover): the request wrote nothing."""

    detail = "The database is unreachable for a moment; retry the request."
    retryable = True

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "1"})


class Overloaded(KycrailError):
    """This process is already working on as many requests as it takes at once."""

    detail = "The service is busy; retry the request."
    retryable = True

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "1"})


class InternalError(KycrailError):
    """What an unexpected exception becomes: nothing internal, only the request id."""
