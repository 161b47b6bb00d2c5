"""Where webhooks may go: https to public addresses only, unless the settings say otherwise."""

from __future__ import annotations

import pytest

from kycrail.config import load_settings
from kycrail.webhooks.urls import UnsafeUrl, UrlPolicy, check

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
