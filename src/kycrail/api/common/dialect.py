"""What a wire dialect is, to the app that mounts it: its name (as webhook endpoints store it), the
paths it owns, its routers, its error table (the shape of every error on its paths), what the webhook
worker sends its endpoints, and its documented examples. Each dialect's package builds one
(``api/<dialect>/dialect.py``); ``api/dialects.py`` registers them."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from kycrail.api.common.errors import ErrorTable
from kycrail.api.common.openapi.examples import Examples
from kycrail.webhooks.dialect import Dialect


@dataclass(frozen=True)
class WireDialect:
    name: str
    prefix: str  # "/v2": the paths it owns
    routers: tuple[APIRouter, ...]
    errors: ErrorTable
    webhooks: Dialect
    examples: Examples

    def owns(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/")
