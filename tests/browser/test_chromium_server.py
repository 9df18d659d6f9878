"""The browser tests' shared Chromium (tests/browser/chromium.py): a test's connection sees none
of another's cookies, and a server that died is started again."""

import os
import signal

import pytest
from playwright.sync_api import sync_playwright

pytestmark = pytest.mark.browser

PAGE = "data:text/html,<title>t</title>"


def test_each_connection_has_its_own_cookies_and_the_server_comes_back_after_dying(browser_server):
    endpoint = browser_server.endpoint()
    with sync_playwright() as playwright:
        first = playwright.chromium.connect(endpoint)
        first.new_context().add_cookies([{"name": "who", "value": "first", "url": "http://127.0.0.1/"}])
        second = playwright.chromium.connect(endpoint)
        assert second.new_context().cookies() == []
        assert [context.cookies()[0]["value"] for context in first.contexts] == ["first"]
        first.close()
        second.close()

        os.killpg(browser_server.process.pid, signal.SIGKILL)
        browser_server.process.wait()
        again = browser_server.endpoint()
        assert again != endpoint
        revived = playwright.chromium.connect(again)
        page = revived.new_page()
        page.goto(PAGE)
        assert page.title() == "t"
        revived.close()
