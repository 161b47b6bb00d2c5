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
PRIVATE = "its host resolves to a private, loopback or reserved address"


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


def checked_shape(url: str, policy: UrlPolicy) -> tuple[str, int]:
    """(host, port) of a URL whose form ``policy`` allows; UnsafeUrl otherwise. A host that is an
    address literal is judged here too; a name only when it is looked up (``addresses_to_connect``)."""
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
    if not policy.allow_private and _is_address(parts.hostname) and not _public(parts.hostname):
        raise UnsafeUrl(PRIVATE)
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


async def check(url: str, policy: UrlPolicy) -> None:
    """Raise UnsafeUrl unless every address the host resolves to may be reached under ``policy``."""
    host, port = checked_shape(url, policy)
    if not policy.allow_private and not _is_address(host):  # else any host will do: it is looked
        await addresses_to_connect(host, port, policy)  # up when it is sent to


async def addresses_to_connect(host: str, port: int, policy: UrlPolicy) -> list[tuple[int, str]]:
    """(family, address) of each address to open a connection to for ``host``, looked up once and
    judged under ``policy``; UnsafeUrl when any of them may not be reached. The sender connects to
    exactly these, so a name cannot resolve to a public address for the check and to a private one
    for the connection (DNS rebinding)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise UnsafeUrl("its host does not resolve") from None
    addresses = list(dict.fromkeys((int(info[0]), str(info[4][0])) for info in infos))
    if not addresses:
        raise UnsafeUrl("its host does not resolve")
    if not policy.allow_private and not all(_public(address) for _, address in addresses):
        raise UnsafeUrl(PRIVATE)
    return addresses
