"""Typed SumSub errors. Their ``str()`` is safe to log and show: never a secret, never a share token."""

from __future__ import annotations

import re

# A share token is a bearer credential for someone's identity data. SumSub echoes tokens in some
# descriptions ("Token _act-jwt-... is invalid now") and URLs carry them in the query: both are cut out
# before anything is kept or logged. A token is not always well formed, hence the query parameter rule.
_SHARE_TOKEN = re.compile(r"_act-[^\s\"',;&]*")
_SHARE_TOKEN_PARAMETER = re.compile(r"(shareToken=)[^&\s\"']*")


def redact_tokens(text: str) -> str:
    text = _SHARE_TOKEN_PARAMETER.sub(r"\1[redacted]", text)
    return _SHARE_TOKEN.sub("_act-[redacted]", text)


class SumsubError(Exception):
    """Base of every SumSub failure; also raised as is for an answer no subclass describes."""

    default_message = "SumSub answered with an unexpected error"

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        error_code: int | None = None,
        error_name: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        self.message = redact_tokens(message) if message is not None else self.default_message
        self.status = status
        self.error_code = error_code
        self.error_name = error_name
        self.correlation_id = correlation_id
        super().__init__(self.message)

    def __str__(self) -> str:
        details = [f"HTTP {self.status}"] if self.status is not None else []
        if self.error_code is not None:
            details.append(f"errorCode {self.error_code}")
        if self.error_name:
            details.append(self.error_name)
        if self.correlation_id:
            details.append(f"correlationId {self.correlation_id}")
        return f"{self.message} ({', '.join(details)})" if details else self.message


class ShareTokenInvalid(SumsubError):
    """The share token is malformed, expired, already used or not meant for us: ask for a new one."""

    default_message = "SumSub share token is invalid, expired or already used"


class ShareTokenRejected(SumsubError):
    """The token is valid but the donor's verification cannot be reused (not approved, not suitable...)."""

    default_message = "SumSub refused to reuse this verification"

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        error_code: int | None = None,
        error_name: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        self.reason = redact_tokens(reason)
        super().__init__(
            f"{self.default_message}: {self.reason}",
            status=status,
            error_code=error_code,
            error_name=error_name,
            correlation_id=correlation_id,
        )


class ProviderUnavailable(SumsubError):
    """SumSub could not be reached or answered unusably (timeout, 5xx, 429, bad body): retry later.

    After a POST this says nothing about whether SumSub acted: an import may have used the token.
    """

    default_message = "SumSub is unavailable"
    retryable = True


class ProviderMisconfigured(SumsubError):
    """SumSub refused our app token or signature, or no credentials are configured: an operator's job."""

    default_message = "SumSub refused our credentials"


class ApplicantNotFound(SumsubError):
    default_message = "SumSub has no such applicant"


class ApplicantExists(SumsubError):
    """Creating an applicant for an external user id that has one already (409)."""

    default_message = "SumSub has an applicant for this external user id already"
