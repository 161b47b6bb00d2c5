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
# What the API document promises is taken (``checked_shape`` takes more: plain http where the settings
# allow it, any host form urlsplit reads): https, a host name or IPv4 address, a port, a path and query,
# no credentials, no fragment. A private address is still refused where the settings say so.
DOCUMENTED_URL_PATTERN = r"^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[1-9][0-9]{0,3})?(/[!\x24-~]*)?$"
PRIVATE = "its host resolves to a private, loopback, reserved or other special-use address"

# The rule (``_may_be_reached``): an address may receive webhooks when it is global unicast and in none
# of the special-use ranges below (IANA's special-purpose address registries). The standard library's
# ``is_global`` must agree as well, but it is not enough alone: it calls NAT64, 6to4, IPv4-compatible
# and multicast addresses global.
_SPECIAL_IPV4 = tuple(
    ipaddress.IPv4Network(network)
    for network in (
        "0.0.0.0/8",  # this network; 0.0.0.0 reaches the host itself
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, the cloud metadata service among them
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255, the broadcast address
    )
)
# IPv6 outside 2000::/3 is never global unicast: unspecified, loopback, IPv4-translated, discard,
# NAT64's local-use 64:ff9b:1::/48 (where the IPv4 sits in it is the operator's choice, so it cannot be
# judged), unique local, site- and link-local, multicast, and what is not allocated yet.
_GLOBAL_UNICAST_IPV6 = ipaddress.IPv6Network("2000::/3")
_SPECIAL_IPV6 = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        # IETF protocol assignments: benchmarking, ORCHID, anycast services, and Teredo (2001::/32),
        # refused whatever server and client addresses it carries: a relay of the network's own
        # choosing carries its packets, and no web server lives there.
        "2001::/23",
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # SRv6 segment identifiers
    )
)
# Addresses whose packets end up at the IPv4 address they carry (through a NAT64 gateway, a 6to4 relay,
# or the host's own IPv4 stack): that address is the one judged. IPv4-mapped and 6to4 addresses are
# read by the standard library (``ipv4_mapped``, ``sixtofour``).
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated; :: and ::1 are in it too


class UnsafeUrl(Exception):
    """The URL may not receive webhooks; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    allow_http: bool = False
    allow_private: bool = False  # loopback, private, link-local, reserved and other special-use addresses

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
    if not policy.allow_private and _is_address(parts.hostname) and not _may_be_reached(parts.hostname):
        raise UnsafeUrl(PRIVATE)
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _may_be_reached(address: str) -> bool:
    """Whether a webhook may be sent to ``address`` (a literal, or one a name resolved to) when private
    hosts are not allowed: the one rule for both."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is None:
            return ip in _GLOBAL_UNICAST_IPV6 and _outside(ip, _SPECIAL_IPV6) and ip.is_global
        ip = embedded
    return _outside(ip, _SPECIAL_IPV4) and ip.is_global


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return None


def _outside(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
    networks: tuple[ipaddress.IPv4Network, ...] | tuple[ipaddress.IPv6Network, ...],
) -> bool:
    return not any(ip in network for network in networks)


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
    if not policy.allow_private and not all(_may_be_reached(address) for _, address in addresses):
        raise UnsafeUrl(PRIVATE)
    return addresses
