"""Who a request comes from, as the limits count it: its API key once authenticated, else its address.

An IPv6 client is counted by its /64: one host is usually given a whole /64, and counting each of its
addresses apart would hand it 2^64 shares. The address is the TCP peer's (``X-Forwarded-For`` is not
trusted: anyone can write it).
"""

from __future__ import annotations

import ipaddress

from starlette.types import Scope


def address_of(scope: Scope) -> str:
    """The client's address (an IPv6 one as its /64 network); "-" when the server does not say."""
    client = scope.get("client")
    if not client:
        return "-"
    host = str(client[0])
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host  # a unix socket's name, or a test client's
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
