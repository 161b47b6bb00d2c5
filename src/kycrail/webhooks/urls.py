"""Where a webhook may be sent: https to a public address, unless the settings allow plain http or
private hosts (``serve --sandbox`` allows loopback). No server-side request forgery into the
operator's own network by default."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from kycrail.config import Settings

MAX_URL_LENGTH = 2048


class UnsafeUrl(Exception):
    """The URL may not receive webhooks; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    allow_http: bool = False
    allow_private: bool = False  # loopback, private, link-local, reserved addresses

    @classmethod
    def of(cls, settings: Settings) -> UrlPolicy:
        return cls(
            allow_http=settings.webhook_allow_http or settings.sandbox,
            allow_private=settings.webhook_allow_private_hosts or settings.sandbox,
        )


def _checked_shape(url: str, policy: UrlPolicy) -> tuple[str, int]:
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeUrl(f"at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeUrl("not a URL") from None
    allowed = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme not in allowed:
        raise UnsafeUrl("must be an https:// URL" if not policy.allow_http else "must be an http(s):// URL")
    if not parts.hostname:
        raise UnsafeUrl("has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("must not carry credentials")
    if parts.fragment:
        raise UnsafeUrl("must not carry a fragment")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


async def check(url: str, policy: UrlPolicy) -> None:
    """Raise UnsafeUrl unless every address the host resolves to may be reached under ``policy``."""
    host, port = _checked_shape(url, policy)
    if policy.allow_private:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise UnsafeUrl("its host does not resolve") from None
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(_public(str(address)) for address in addresses):
        raise UnsafeUrl("its host resolves to a private, loopback or reserved address")
