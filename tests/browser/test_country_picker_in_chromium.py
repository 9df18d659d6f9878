"""The country type-ahead (static/js/typeahead.js) in Chromium: typing narrows the grouped list,
Enter chooses, the filter goes to the pivots with the tabs, a project keeps several countries
chosen across searches, and it works in Arabic, right to left, on a phone."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from compact.matrix.models import Project
from tests.browser.test_pages_in_chromium import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=False)


def test_typing_narrows_the_country_filter_and_enter_chooses(live_server, roster, oct_officer, browser):
    page = browser.new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/")
    box = page.get_by_role("searchbox", name="Type to filter the countries")
    box.fill("jord")
    select = page.locator("select[name=country]")
    assert select.locator("option[value]:not([value=''])").evaluate_all("os => os.map(o => o.value)") == ["JO"]
    expect(page.locator("#id_country_typeahead_status")).to_have_text("Countries that match: 1")
    shot(page, "typeahead-filter")
    box.press("Enter")  # chooses; does not send the form
    assert select.input_value() == "JO"
    assert page.url.endswith("/projects/")
    box.fill("")
    assert select.locator("option").count() == 250  # "Any country" and every country again
    assert select.input_value() == "JO"
    box.fill("egy")  # the English name, accents and case ignored
    assert select.locator("option[value='EG']").count() == 1
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/projects/?*country=JO*")
    expect(page.locator(".active-filters")).to_contain_text("Country: Jordan")
    page.get_by_role("link", name="Pivots and chart").click()
    page.wait_for_url("**/projects/pivots/?*country=JO*")
    expect(page.locator(".active-filters")).to_contain_text("Country: Jordan")
    excel = page.locator(".exports a", has_text="Excel")
    expect(excel).to_have_attribute("href", re.compile(r"^/projects/export\.xlsx\?country=JO(&|$)"))
    shot(page, "pivots-with-filters")
    page.get_by_role("link", name="Clear all filters").click()
    expect(page.locator(".active-filters")).to_have_count(0)


def test_a_project_keeps_several_countries_chosen_across_searches(live_server, roster, oct_officer, orm, browser):
    page = browser.new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/new/")
    page.fill("#id_title", "Two countries")
    page.select_option("#id_status", "ongoing")
    box = page.locator("#id_countries_typeahead")
    box.fill("tunis")
    box.press("Enter")
    box.fill("jordan")
    box.press("Enter")
    box.fill("")
    page.get_by_role("button", name="Create the project").click()
    page.wait_for_url("**/projects/*/")
    project = orm(lambda: Project.objects.get(title="Two countries"))
    assert orm(lambda: sorted(project.country_rows.values_list("country", flat=True))) == ["JO", "TN"]


def test_arabic_on_a_phone(live_server, roster, oct_officer, orm, browser):
    orm(lambda: type(oct_officer).objects.filter(pk=oct_officer.pk).update(language="ar"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    box = page.locator("#id_country_typeahead")
    box.fill("الأردن")  # Jordan, in Arabic
    options = page.locator("select[name=country] option[value]:not([value=''])")
    assert options.evaluate_all("os => os.map(o => o.value)") == ["JO"]
    box.fill("JO")  # the code works in any language
    assert "JO" in options.evaluate_all("os => os.map(o => o.value)")
    width = box.evaluate("b => b.getBoundingClientRect().width")
    assert 0 < width <= 390
    shot(page, "typeahead-arabic-phone")
