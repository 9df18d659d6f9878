"""The pivots in Chromium (issue 20): the chart's bars lead to the country pages with the
filters, a filter set on the list reaches the pivots' chart and shaded cells, the page holds on
a phone (the grids scroll in their boxes, not the page) and in Arabic (the bars grow from the
right), and axe finds nothing to fault.

Screenshots go to $SHOTS_DIR when it is set. axe-core runs through
tests/browser/axe.py (bundled by axe-playwright-python)."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_violations
from tests.browser.test_pages_in_chromium import sign_in
from tests.compact.matrix.test_pivot_charts import spread  # noqa: F401 — fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page, name: str, *, full_page: bool = False) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=full_page)


def bars(page) -> dict[str, str]:
    marks = page.locator("#chart-projects-per-country svg rect.chart-mark")
    return dict(marks.evaluate_all("ms => ms.map(m => [m.dataset.label, m.dataset.value])"))


def test_a_filter_on_the_list_reaches_the_chart_and_a_bar_opens_the_country(live_server, spread, oct_officer, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused = []  # what the Content-Security-Policy refused (a style attribute, a script)
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/pivots/")
    everything = bars(page)
    assert everything["Kenya"] == "6" and everything["Mali"] == "4"
    shot(page, "pivots-desktop", full_page=True)

    page.goto(f"{live_server.url}/projects/")
    page.select_option("select[name=pillar]", "I")
    page.click("form.project-filters button[type=submit]")
    page.get_by_role("navigation", name="Project matrix").get_by_role("link", name="Pivots and chart").click()
    page.wait_for_url(re.compile(r".*/projects/pivots/\?.*pillar=I"))
    # Pillar I: Kenya 0, 2 and 4 (Kenya, Mali, Niger, Tunisia, Somalia; KE ML NE; KE) and the
    # confidential one in Kenya and Somalia; the wide project serves pillar III only.
    assert bars(page) == {"Kenya": "4", "Mali": "2", "Niger": "2", "Somalia": "2", "Tunisia": "1"}
    kenya_i = page.locator(".heat-table tbody tr", has=page.get_by_role("link", name="Kenya")).locator("td").first
    expect(kenya_i).to_have_text("4")
    assert "shade-" in kenya_i.get_attribute("class")

    page.locator("#chart-projects-per-country svg a").first.click()
    page.wait_for_url(re.compile(r".*/projects/countries/KE/\?(.*&)?pillar=I(&.*)?$"))
    expect(page.locator(".active-filters li")).to_have_count(1)
    marks = page.locator("#chart-projects-per-pillar rect.chart-mark")
    # Kenya's four projects of pillar I; the confidential one also serves pillar III.
    assert marks.evaluate_all("ms => ms.map(m => m.dataset.value)") == ["4", "0", "1", "0"]
    shot(page, "country-with-pillar-chart", full_page=True)
    assert refused == []


def test_the_pivots_on_a_phone_in_arabic(live_server, spread, oct_officer, orm, browser):  # noqa: F811
    orm(lambda: type(oct_officer).objects.filter(pk=oct_officer.pk).update(language="ar"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/pivots/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    svg = page.locator("#chart-projects-per-country svg")
    assert svg.get_attribute("direction") == "rtl"
    # The page itself does not scroll sideways; the grids scroll inside their own boxes.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    # The chart keeps a readable size and scrolls in its box, as the grids do.
    picture = page.locator("#chart-projects-per-country .chart-picture")
    assert picture.evaluate("p => p.getBoundingClientRect().left >= 0 && p.getBoundingClientRect().right <= 390")
    assert svg.evaluate("s => s.getBoundingClientRect().width") > 390
    grid = page.locator(".table-wrap.pivot").first
    assert grid.evaluate("g => g.getBoundingClientRect().right") <= 390
    # Right to left, the longest bar starts at the right edge of the plot and grows leftwards.
    first = page.locator("#chart-projects-per-country rect.chart-mark").first
    box = first.evaluate("m => m.getBoundingClientRect().toJSON()")
    frame = svg.evaluate("s => s.getBoundingClientRect().toJSON()")
    assert box["right"] > frame["left"] + frame["width"] / 2
    shot(page, "pivots-arabic-phone", full_page=True)
    page.locator("#country-pillar-heading").scroll_into_view_if_needed()
    shot(page, "pivots-arabic-phone-heat-table")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_axe_finds_no_violation_on_the_pivots(live_server, spread, oct_officer, orm, browser, language):  # noqa: F811
    orm(lambda: type(oct_officer).objects.filter(pk=oct_officer.pk).update(language=language))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "officer")
    for url in ("/projects/pivots/", "/projects/pivots/?pillar=I", "/projects/countries/KE/"):
        page.goto(f"{live_server.url}{url}")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert axe_violations(page) == [], url
