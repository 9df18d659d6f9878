"""The reporting dashboard in Debian's headless Chromium: a Committee member opens it from the
menu, reads the heatmap, follows a cell to the submission; the page has no axe violation, on
a desktop and at 390 px wide, in English and in Arabic; there the page does not scroll
sideways, each chart's panel does (its drawing keeps a readable size).

axe-core runs through tests/browser/axe.py (bundled by axe-playwright-python). Set
SCREENSHOTS_DIR to keep screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from compact.core.models import User
from tests.browser.axe import axe_violations
from tests.browser.menu import follow_menu_link
from tests.browser.test_pages_in_chromium import sign_in
from tests.reporting.dashboard.world import TODAY, at, build_rounds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def rounds(roster, committee_member, time_machine):
    world = build_rounds(roster, time_machine)
    time_machine.move_to(at(TODAY, 12), tick=True)  # the browser's and the server's clocks run
    return world


def _shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_committee_member_reads_the_dashboard_and_opens_an_accepted_input(live_server, rounds, orm, browser):
    page = browser.new_context(viewport=DESKTOP, bypass_csp=True).new_page()
    sign_in(page, live_server, "cted")
    follow_menu_link(page, "Reporting dashboard")
    expect(page.locator("h1")).to_have_text("Reporting dashboard")
    cells = page.locator("svg[data-chart=outcomes] rect.chart-mark")
    expect(cells).to_have_count(9)
    assert page.locator("svg[data-chart=outcomes] a").count() == 2  # the accepted inputs it may read
    assert axe_violations(page) == []
    _shoot(page, "dashboard-desktop")
    page.locator("svg[data-chart=outcomes] a").first.click()
    expect(page.locator("h1")).to_contain_text("WG")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_dashboard_at_390_px(language, live_server, rounds, orm, browser):
    orm(lambda: User.objects.filter(username="cted").update(language=language))
    page = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    sign_in(page, live_server, "cted")
    page.goto(f"{live_server.url}/reporting/dashboard/")
    expect(page.locator("svg[data-chart=outcomes] rect.chart-mark")).to_have_count(9)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    # Each drawing keeps a readable width (36rem) and its panel, not the page, scrolls sideways.
    for slug in ("rates", "outcomes", "acceptance", "action-points"):
        assert page.locator(f"svg[data-chart={slug}]").bounding_box()["width"] == 576
        panel = page.locator(f"section:has(svg[data-chart={slug}])")
        assert panel.evaluate("e => e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX == 'auto'")
        assert panel.get_attribute("tabindex") == "0"
    assert axe_violations(page) == []
    _shoot(page, f"dashboard-phone-{language}")
