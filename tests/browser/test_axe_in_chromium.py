"""The accessibility check itself (tests/browser/axe.py) finds what it is meant to find, so that
"no violation" on the chart pages means something."""

from __future__ import annotations

import pytest

from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser

BROKEN = """<!doctype html><html lang="en"><head><title>t</title></head><body><main>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<svg role="img" viewBox="0 0 10 10"><a href="/x"><rect width="10" height="10"/></a></svg>
<p style="color:#aaa;background:#fff">Pale text</p></main></body></html>"""


def test_axe_reports_a_missing_alternative_a_link_inside_an_image_and_pale_text(browser):
    page = browser.new_page()
    page.set_content(BROKEN)
    found = {violation.split(" ")[0] for violation in axe_violations(page)}
    assert {"image-alt", "color-contrast"} <= found
    assert {"svg-img-alt", "nested-interactive"} & found


def test_axe_finds_nothing_on_a_clean_page(browser):
    page = browser.new_page()
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>Fine</h1></main></body></html>'
    )
    assert axe_violations(page) == []
