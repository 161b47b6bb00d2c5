"""Headless Chromium for the page tests: Debian's (/usr/bin/chromium), driven by Playwright, never
downloaded (`playwright install` is not used); and a person's steps on the SumSub emulator's WebSDK
page. Where the browser is missing the tests skip, unless KYCRAIL_REQUIRE_BROWSER is set (.ci/run
sets it): then that is a failure."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("KYCRAIL_REQUIRE_BROWSER"):
            pytest.fail(
                f"{CHROMIUM} is missing and KYCRAIL_REQUIRE_BROWSER is set (apt-get install chromium)"
            )
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    return CHROMIUM


@contextmanager
def browser_page(chromium: Path) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def submit_as_a_person(page: Page, url: str, *, document: str) -> Locator:
    """Open a verification link, enter Grace Hopper (born 1986-12-09), attach the page's sample
    ``document`` and submit; the page's status element (its review now ``pending``)."""
    from playwright.sync_api import expect

    page.goto(url)
    status = page.locator("#status")
    expect(status).to_have_attribute("data-review-status", "init")
    page.fill("#firstName", "Grace")
    page.fill("#lastName", "Hopper")
    page.fill("#dob", "1986-12-09")
    page.select_option("#idDocType", document)
    page.click("#use-sample")
    expect(page.locator("#chosen")).to_have_text("sample-document.png attached")
    page.click("#submit")
    expect(status).to_have_attribute("data-review-status", "pending")
    return status
