"""Where webhooks may go: https to public addresses only, unless the settings say otherwise."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from kycrail.config import load_settings
from kycrail.webhooks.urls import UnsafeUrl, UrlPolicy, addresses_to_connect, check, checked_shape

PUBLIC = "https://93.184.215.14/hooks"  # an address literal: no DNS needed to judge it


async def test_https_to_a_public_address_is_accepted() -> None:
    await check(PUBLIC, UrlPolicy())
    await check("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:8443/h", UrlPolicy())


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://93.184.215.14/hooks", "https"),
        ("ftp://93.184.215.14/hooks", "https"),
        ("https://127.0.0.1/hooks", "private"),
        ("https://localhost/hooks", "private"),
        ("https://10.1.2.3/hooks", "private"),
        ("https://192.168.0.10/hooks", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),  # the cloud metadata service
        ("https://[::1]/hooks", "private"),
        ("https://[::ffff:127.0.0.1]/hooks", "private"),
        ("https://0.0.0.0/hooks", "private"),
        ("https://user:pass@93.184.215.14/hooks", "credentials"),
        ("https:///hooks", "no host"),
        ("https://93.184.215.14:99999/hooks", "not a URL"),
        ("https://93.184.215.14/hooks#part", "fragment"),
        ("https://" + "a" * 2050 + ".com/", "at most"),
        ("https://no-such-host.invalid/hooks", "resolve"),
    ],
)
async def test_anything_else_is_refused_with_the_reason(url: str, why: str) -> None:
    with pytest.raises(UnsafeUrl, match=why):
        await check(url, UrlPolicy())


async def test_the_settings_or_the_sandbox_open_plain_http_and_private_hosts() -> None:
    await check("http://127.0.0.1:9000/hooks", UrlPolicy(allow_http=True, allow_private=True))
    with pytest.raises(UnsafeUrl, match="private"):
        await check("http://127.0.0.1:9000/hooks", UrlPolicy(allow_http=True))
    assert UrlPolicy.of(load_settings(sandbox=True)) == UrlPolicy(allow_http=True, allow_private=True)
    assert UrlPolicy.of(load_settings()) == UrlPolicy()
    assert UrlPolicy.of(load_settings(webhook_allow_http=True)) == UrlPolicy(allow_http=True)


# The audit's four (issue 23, item 5): the standard library's is_global calls each of them public.
AUDIT = [
    "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 to 169.254.169.254
    "https://[::169.254.169.254]/",  # IPv4-compatible
    "https://[2002:a9fe:a9fe::]/",  # 6to4
    "https://224.0.0.1/",  # multicast
]

# Each an address no webhook may reach, with what it is.
SPECIAL = [
    ("64:ff9b::7f00:1", "NAT64 to loopback"),
    ("64:ff9b:1::5db8:d70e", "NAT64 local-use prefix: where its IPv4 sits is the operator's choice"),
    ("::ffff:169.254.169.254", "IPv4-mapped, link-local"),
    ("::ffff:10.0.0.1", "IPv4-mapped, private"),
    ("::a00:1", "IPv4-compatible, private"),
    ("::", "unspecified"),
    ("2002:7f00:1::1", "6to4 to loopback"),
    ("2002:a00:1::", "6to4 to a private address"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
    ("2001:0:5db8:d70e::5db8:d70e", "Teredo, even with public server and client"),
    ("ff02::1", "multicast"),
    ("ff0e::1", "global-scope multicast"),
    ("fec0::1", "site-local"),
    ("fd00::1", "unique local"),
    ("fe80::1", "link-local"),
    ("100::1", "discard-only"),
    ("2001:db8::1", "documentation"),
    ("3fff::1", "documentation (RFC 9637)"),
    ("2001:2::1", "benchmarking"),
    ("2001:20::1", "ORCHIDv2"),
    ("5f00::1", "SRv6 segment identifiers"),
    ("4000::1", "not global unicast (outside 2000::/3)"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "this network"),
    ("192.0.0.9", "IETF protocol assignments"),
    ("192.0.2.1", "documentation"),
    ("198.51.100.1", "documentation"),
    ("203.0.113.1", "documentation"),
    ("198.18.0.1", "benchmarking"),
    ("198.19.255.254", "benchmarking"),
    ("100.64.0.1", "shared (carrier-grade NAT)"),
    ("100.127.255.254", "shared (carrier-grade NAT)"),
    ("192.88.99.1", "6to4 relay anycast"),
    ("172.16.0.1", "private"),
    ("169.254.169.254", "link-local"),
]

# Public, however they are written: the embedded IPv4 is what decides.
EMBEDDING_PUBLIC = ["64:ff9b::5db8:d70e", "::ffff:93.184.215.14", "2002:5db8:d70e::1", "::93.184.215.14"]


def literal(address: str) -> str:
    return f"https://[{address}]/hooks" if ":" in address else f"https://{address}/hooks"


class Resolver:
    """Stands in for DNS on the running loop: ``name`` resolves to ``addresses``, nothing else does."""

    def __init__(self, name: str, *addresses: str) -> None:
        self.name, self.addresses = name, addresses

    async def __call__(self, host: Any, port: Any, **_: Any) -> list[Any]:
        if host != self.name:
            raise socket.gaierror(socket.EAI_NONAME, "no such name")
        return [
            (socket.AF_INET6 if ":" in one else socket.AF_INET, socket.SOCK_STREAM, 6, "", (one, int(port)))
            for one in self.addresses
        ]


@pytest.mark.parametrize("url", AUDIT)
async def test_the_audits_special_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl, match="private"):
        checked_shape(url, UrlPolicy())
    with pytest.raises(UnsafeUrl, match="private"):
        await check(url, UrlPolicy())


@pytest.mark.parametrize(("address", "what"), SPECIAL)
async def test_every_special_address_is_refused_as_a_literal(address: str, what: str) -> None:
    with pytest.raises(UnsafeUrl, match="private"):
        await check(literal(address), UrlPolicy())


@pytest.mark.parametrize(
    "address", dict.fromkeys([url.split("//")[1].strip("/[]") for url in AUDIT] + [one for one, _ in SPECIAL])
)
async def test_a_name_resolving_to_a_special_address_is_refused_at_registration_and_connection(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", Resolver("hooks.example.test", address))
    with pytest.raises(UnsafeUrl, match="private"):
        await check("https://hooks.example.test/hooks", UrlPolicy())
    with pytest.raises(UnsafeUrl, match="private"):
        await addresses_to_connect("hooks.example.test", 443, UrlPolicy())


async def test_one_special_address_among_public_ones_is_enough_to_refuse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolver = Resolver("hooks.example.test", "93.184.215.14", "64:ff9b::a9fe:a9fe")
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    with pytest.raises(UnsafeUrl, match="private"):
        await addresses_to_connect("hooks.example.test", 443, UrlPolicy())


@pytest.mark.parametrize("address", EMBEDDING_PUBLIC)
async def test_an_address_embedding_a_public_ipv4_is_judged_by_it(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await check(literal(address), UrlPolicy())
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", Resolver("hooks.example.test", address))
    assert await addresses_to_connect("hooks.example.test", 443, UrlPolicy()) == [(socket.AF_INET6, address)]


@pytest.mark.parametrize(
    "address", [url.split("//")[1].strip("/[]") for url in AUDIT] + ["127.0.0.1", "::1", "10.0.0.1"]
)
async def test_the_sandbox_still_reaches_special_addresses(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = UrlPolicy(allow_http=True, allow_private=True)
    await check(literal(address), sandbox)
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", Resolver("hooks.example.test", address))
    assert [found for _, found in await addresses_to_connect("hooks.example.test", 443, sandbox)] == [address]
