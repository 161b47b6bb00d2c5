"""The API document works without the internet: ``/docs`` from assets in the installed package, in a
real browser whose every request off this machine is refused; ``/openapi.json`` with examples."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from tests.browser import browser_page
from tests.processes import free_port, running


@pytest.mark.slow
def test_the_docs_page_lists_the_operations_with_no_request_leaving_the_machine(
    database_url: str, chromium: Path
) -> None:
    from playwright.sync_api import Route, expect

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    elsewhere: list[str] = []

    def local_only(route: Route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    server = running(
        ["serve", "--port", str(port)], {"KYCRAIL_DATABASE_URL": database_url}, f"{base}/healthz"
    )
    with server, browser_page(chromium) as page:
        page.route("**/*", local_only)
        page.goto(f"{base}/docs")
        operations = page.locator(".opblock-summary-path")
        expect(operations.first).to_be_visible(timeout=15_000)
        paths = {text.strip().replace("\u200b", "") for text in operations.all_inner_texts()}
        assert {"/v2/customer/{customer_id}", "/v1/customers"} <= paths
        expect(page.get_by_text("Update a customer by ID").first).to_be_visible()
    assert elsewhere == []


async def test_the_docs_page_loads_its_assets_from_this_server(client: httpx.AsyncClient) -> None:
    page = (await client.get("/docs")).text
    assets = [part.split('"')[0] for part in page.split('src="')[1:] + page.split('href="')[1:]]
    assert assets
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is fetched from elsewhere"
        assert (await client.get(asset)).status_code == 200, asset
