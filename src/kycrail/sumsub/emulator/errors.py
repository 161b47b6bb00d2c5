"""SumSub's error answer (docs/sumsub.md): ``{"description", "code", "correlationId", "errorCode"?,
"errorName"?}``, and ``type`` on the answers SumSub gives as a ServiceException."""

from __future__ import annotations

import secrets

from starlette.responses import JSONResponse, Response

from kycrail.sumsub.emulator.wire import JsonObject

SERVICE_EXCEPTION = "de.smtdp.commons.service.exceptions.ServiceException"


class Failure(Exception):
    """Raised anywhere in the emulator, answered in SumSub's error shape."""

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


def invalid_share_token() -> Failure:
    return Failure(400, "Share token is invalid", error_code=10503, error_name="invalid-share-token")
