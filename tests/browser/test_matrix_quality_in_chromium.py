"""OCT's data-quality page in Chromium: a figure opens the rows behind it, and an unlinked
name is mapped in one step (then gone from the list); the page reads on a phone in Arabic."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from compact.matrix.models import ProjectMention
from compact.matrix.services import project_save
from tests.browser.test_pages_in_chromium import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _mention(name: str) -> None:
    project = project_save(project=None, actor=None, fields={"title": f"Work with {name}", "status": "ongoing"})
    ProjectMention.objects.create(project=project, position=1, name=name)


def test_oct_maps_an_unlinked_name_in_one_step(live_server, roster, oct_officer, orm, browser):
    orm(lambda: _mention("Friends of the Lake"))
    page = browser.new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/quality/")
    page.get_by_role("link", name="Entity mentions linked to the registry").click()
    page.wait_for_url("**/projects/quality/?show=mentions")
    row = page.locator("table.quality-gaps tbody tr", has_text="Friends of the Lake")
    expect(row).to_have_count(1)
    shot(page, "quality-mentions")
    row.get_by_label("Map “Friends of the Lake” to").select_option("none")
    row.get_by_role("button", name="Map").click()
    expect(page.locator("body")).to_contain_text("“Friends of the Lake” was mapped.")
    expect(page.locator("table.quality-gaps tbody tr", has_text="Friends of the Lake")).to_have_count(0)
    assert orm(lambda: ProjectMention.objects.get(name="Friends of the Lake").not_an_entity)


def test_the_page_in_arabic_on_a_phone(live_server, roster, oct_officer, orm, browser):
    orm(lambda: _mention("Friends of the Lake"))
    orm(lambda: type(oct_officer).objects.filter(pk=oct_officer.pk).update(language="ar"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/quality/?show=mentions")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("document.documentElement.scrollWidth <= 391")  # nothing pushes the page sideways
    shot(page, "quality-ar-phone")
