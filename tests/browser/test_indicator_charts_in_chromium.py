"""The indicator charts in Chromium (issue 20): the indicator page and the framework, on a
desktop and on a phone (390 px), in English and in Arabic: no axe-core violations, nothing
wider than the window, and the small multiples wrap onto several rows on the phone.

axe-core runs through tests/browser/axe.py (bundled by axe-playwright-python). Set
SCREENSHOTS_DIR to keep the screenshots.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.axe import axe_violations
from tests.browser.test_pages_in_chromium import sign_in
from tests.browser.test_phone_in_chromium import PHONE, WIDER_THAN_WINDOW
from tests.browser.test_reporting_in_chromium import shoot
from tests.reporting.monitoring.test_charts import (  # noqa: F401 — fixtures
    end_of_year,
    programme,
    trained,
    two_rounds,
    wg2_chair,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PANEL_ROWS = """() => new Set([...document.querySelectorAll('.chart-multiples svg')]
  .map((svg) => Math.round(svg.getBoundingClientRect().top))).size"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_indicator_charts_pass_axe_and_fit_a_phone(
    live_server,
    oct_officer,
    trained,  # noqa: F811
    two_rounds,  # noqa: F811
    language,
    orm,
    browser,
):
    def prepare():
        from compact.core.models import User

        User.objects.filter(pk=oct_officer.pk).update(language=language)

    orm(prepare)
    urls = {
        "indicator": reverse("monitoring-indicator", args=[trained.pk]),
        "framework": reverse("monitoring-framework", args=[trained.programme_id]),
    }
    for size_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = browser.new_context(viewport=viewport).new_page()
        sign_in(page, live_server, "officer")
        for name, url in urls.items():
            page.goto(f"{live_server.url}{url}")
            assert page.locator("svg.chart-svg").count() >= 1, f"{name}: no chart"
            shoot(page, f"{name}-{size_name}-{language}")
            assert axe_violations(page) == [], f"{name} ({size_name}, {language})"
            if viewport is PHONE:
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
                assert page.evaluate(WIDER_THAN_WINDOW) == [], name
        page.goto(f"{live_server.url}{urls['indicator']}")
        rows = page.evaluate(PANEL_ROWS)
        # Three categories (female, male, other): side by side on a desktop, wrapped on a phone.
        assert rows == (1 if viewport is DESKTOP else 2), f"{size_name}: {rows} rows of small charts"
        if language == "ar":
            assert page.locator("svg.chart-svg").first.get_attribute("direction") == "rtl"
        page.context.close()
